//! What the baseline examples share: the files of the command line, read
//! before timing starts, and their documents split as a scan splits them.

/// The texts of the files named on the command line (unreadable ones skipped).
pub fn read_args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

/// Every document of `texts`, split in parallel as `rampart_load::load` splits them.
pub fn documents(texts: &[String]) -> Vec<&str> {
    texts
        .iter()
        .flat_map(|t| {
            rampart_load::yaml::split_documents_parallel(t, rampart_load::yaml::SPLIT_SEGMENT)
        })
        .map(|c| c.text)
        .collect()
}
