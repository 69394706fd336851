//! Consumer-group state of a stream (owned by the consumer-groups work; this is
//! the placeholder the stream type builds against until it lands).

/// The consumer groups of one stream (none by default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Groups {}
