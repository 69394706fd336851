//! The manifest of a multi-part AOF: which files make the dataset, in order.
//!
//! One line per file, as Redis 7.0 writes it:
//! `file appendonly.aof.1.base.rdb seq 1 type b` (`b` base, `i` incremental,
//! `h` history: replaced by a rewrite, to be deleted). Replaying the base, then
//! every incremental file in sequence order, rebuilds the dataset.

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Base,
    Incr,
    History,
}

impl Kind {
    fn letter(self) -> char {
        match self {
            Kind::Base => 'b',
            Kind::Incr => 'i',
            Kind::History => 'h',
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    pub name: String,
    pub seq: u64,
    pub kind: Kind,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub base: Option<FileInfo>,
    /// In sequence order; the last one is appended to.
    pub incrs: Vec<FileInfo>,
    pub history: Vec<FileInfo>,
    pub base_seq: u64,
    pub incr_seq: u64,
}

/// Longest manifest line Redis accepts.
const MAX_LINE: usize = 1024;

impl Manifest {
    /// Parses a manifest's text, with Redis's rules: `#` lines are comments,
    /// every line ends with a newline, keys are `file`, `seq` and `type` in any
    /// order and case (others are ignored, for newer versions' fields), names may
    /// be quoted. Errors are the message Redis logs for them.
    ///
    /// The error is the whole report Redis logs: the line (when one was read),
    /// then the reason.
    pub fn parse(text: &[u8]) -> Result<Manifest, String> {
        let mut at: Option<(usize, &[u8])> = None;
        Manifest::parse_lines(text, &mut at).map_err(|e| {
            let mut report = String::from("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
            if let Some((n, line)) = at {
                let _ = write!(
                    report,
                    "Reading the manifest file, at line {n}\n>>> '{}'\n",
                    String::from_utf8_lossy(trim(line))
                );
            }
            report.push_str(&e);
            report
        })
    }

    fn parse_lines<'a>(
        text: &'a [u8],
        at: &mut Option<(usize, &'a [u8])>,
    ) -> Result<Manifest, String> {
        if text.is_empty() {
            return Err("Found an empty AOF manifest".into());
        }
        let mut m = Manifest::default();
        let mut rest = text;
        let mut n = 0;
        while !rest.is_empty() {
            n += 1;
            // Read as fgets does: up to a newline, at most MAX_LINE bytes. A
            // comment is skipped even when cut there (the rest is the next line).
            let window = &rest[..rest.len().min(MAX_LINE)];
            let newline = window.iter().position(|&b| b == b'\n');
            let chunk = newline.map_or(window, |i| &window[..=i]);
            rest = &rest[chunk.len()..];
            if chunk[0] == b'#' {
                continue;
            }
            let Some(i) = newline else {
                *at = Some((n, chunk));
                return Err("The AOF manifest file contains too long line".into());
            };
            let raw = &chunk[..i];
            *at = Some((n, raw));
            let invalid = || "Invalid AOF manifest file format".to_string();
            let words = crate::protocol::parse::split_args(trim(raw)).ok_or_else(invalid)?;
            if words.len() < 6 || words.len() % 2 != 0 {
                return Err(invalid());
            }
            let (mut name, mut seq, mut kind) = (None, 0, 0u8);
            for pair in words.chunks(2) {
                let key = pair[0].to_ascii_lowercase();
                match key.as_slice() {
                    b"file" => {
                        if pair[1].contains(&b'/') || pair[1].contains(&b'\\') {
                            return Err("File can't be a path, just a filename".into());
                        }
                        name = Some(String::from_utf8_lossy(&pair[1]).into_owned());
                    }
                    b"seq" => seq = leading_number(&pair[1]),
                    b"type" => kind = pair[1].first().copied().unwrap_or(0),
                    _ => {}
                }
            }
            let Some(name) = name.filter(|_| seq > 0 && kind != 0) else {
                return Err(invalid());
            };
            match kind {
                b'b' => {
                    if m.base.is_some() {
                        return Err("Found duplicate base file information".into());
                    }
                    m.base_seq = seq;
                    m.base = Some(FileInfo {
                        name,
                        seq,
                        kind: Kind::Base,
                    });
                }
                b'h' => m.history.push(FileInfo {
                    name,
                    seq,
                    kind: Kind::History,
                }),
                b'i' => {
                    if seq <= m.incr_seq {
                        return Err("Found a non-monotonic sequence number".into());
                    }
                    m.incr_seq = seq;
                    m.incrs.push(FileInfo {
                        name,
                        seq,
                        kind: Kind::Incr,
                    });
                }
                _ => return Err("Unknown AOF file type".into()),
            }
        }
        Ok(m)
    }

    /// The manifest's text: base, then history, then incremental files.
    pub fn format(&self) -> String {
        let mut s = String::new();
        let files = self.base.iter().chain(&self.history).chain(&self.incrs);
        for f in files {
            let _ = writeln!(
                s,
                "file {} seq {} type {}",
                quote(&f.name),
                f.seq,
                f.kind.letter()
            );
        }
        s
    }

    /// Starts a new incremental file (at startup without one, and when a rewrite
    /// starts); returns its name.
    pub fn new_incr(&mut self, prefix: &str) -> String {
        self.incr_seq += 1;
        let name = format!("{prefix}.{}.incr.aof", self.incr_seq);
        self.incrs.push(FileInfo {
            name: name.clone(),
            seq: self.incr_seq,
            kind: Kind::Incr,
        });
        name
    }

    /// The name the next base file gets.
    pub fn next_base_name(&self, prefix: &str, rdb: bool) -> String {
        let ext = if rdb { "rdb" } else { "aof" };
        format!("{prefix}.{}.base.{ext}", self.base_seq + 1)
    }

    /// Installs a new base written by a rewrite: the old base and every
    /// incremental file before the last one become history.
    pub fn install_base(&mut self, name: String) {
        self.base_seq += 1;
        let old = self.base.replace(FileInfo {
            name,
            seq: self.base_seq,
            kind: Kind::Base,
        });
        if let Some(f) = old {
            self.to_history(f);
        }
        let keep = self.incrs.len().saturating_sub(1);
        let replaced: Vec<FileInfo> = self.incrs.drain(..keep).collect();
        for f in replaced {
            self.to_history(f);
        }
    }

    /// Marks a file as history; the newest history comes first, as Redis lists it.
    pub fn to_history(&mut self, mut f: FileInfo) {
        f.kind = Kind::History;
        self.history.insert(0, f);
    }

    /// Every file of the dataset, base first.
    pub fn files(&self) -> impl Iterator<Item = &FileInfo> {
        self.base.iter().chain(&self.incrs)
    }
}

/// The number a string starts with (C's atoll): 0 when none.
fn leading_number(s: &[u8]) -> u64 {
    s.iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0u64, |n, &d| {
            n.saturating_mul(10).saturating_add((d - b'0') as u64)
        })
        // As strtoll clamps: the next sequence number still fits.
        .min(i64::MAX as u64)
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !first.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

/// A file name as Redis writes it: bare when it has only plain characters, else
/// quoted as sdscatrepr does. (A `'` is quoted too, unlike Redis, which then cannot
/// read its own manifest back.)
fn quote(name: &str) -> String {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
    if plain {
        name.to_string()
    } else {
        crate::config::repr(name.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format_round_trip() {
        let text = b"file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n";
        let m = Manifest::parse(text).unwrap();
        assert_eq!(m.base.as_ref().unwrap().name, "appendonly.aof.1.base.rdb");
        assert_eq!(m.incrs.len(), 1);
        assert_eq!(m.format().as_bytes(), text);
        let mut m2 = m.clone();
        assert_eq!(m2.new_incr("appendonly.aof"), "appendonly.aof.2.incr.aof");
        m2.install_base(m2.next_base_name("appendonly.aof", true));
        assert_eq!(
            m2.format(),
            "file appendonly.aof.2.base.rdb seq 2 type b\n\
             file appendonly.aof.1.incr.aof seq 1 type h\n\
             file appendonly.aof.1.base.rdb seq 1 type h\n\
             file appendonly.aof.2.incr.aof seq 2 type i\n"
        );
        assert_eq!(Manifest::parse(m2.format().as_bytes()).unwrap(), m2);
    }

    #[test]
    fn quoted_names_and_errors() {
        let m = Manifest {
            base: Some(FileInfo {
                name: "a b\"c".into(),
                seq: 1,
                kind: Kind::Base,
            }),
            base_seq: 1,
            ..Default::default()
        };
        let text = m.format();
        assert_eq!(text, "file \"a b\\\"c\" seq 1 type b\n");
        assert_eq!(Manifest::parse(text.as_bytes()).unwrap(), m);
        // Redis's leniencies: any key order and case, atoll numbers, first letter of the type.
        let m = Manifest::parse(b"# c\n  TYPE base Seq 3x FILE a.rdb extra 1 \r\n").unwrap();
        assert_eq!((m.base_seq, m.base.unwrap().name.as_str()), (3, "a.rdb"));
        assert_eq!(
            Manifest::parse(b"# only a comment\n").unwrap(),
            Manifest::default()
        );
        for bad in [
            &b""[..],
            b"file x seq 1 type b",
            b"\n",
            b"file x seq 0 type b\n",
            b"file x seq 1\n",
            b"file x seq 1 type z\n",
            b"file \"x seq 1 type b\n",
            b"file x seq 1 type b\nfile y seq 2 type b\n",
            b"file x seq 2 type i\nfile y seq 1 type i\n",
            b"file a/x seq 1 type b\n",
        ] {
            assert!(
                Manifest::parse(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn errors_are_reported_with_the_line() {
        let e = Manifest::parse(b"# c\nfile a seq 1 type b\n  file b seq 0 type i \n").unwrap_err();
        assert_eq!(
            e,
            "\n*** FATAL AOF MANIFEST FILE ERROR ***\nReading the manifest file, at line 3\n>>> 'file b seq 0 type i'\nInvalid AOF manifest file format"
        );
        assert_eq!(
            Manifest::parse(b"").unwrap_err(),
            "\n*** FATAL AOF MANIFEST FILE ERROR ***\nFound an empty AOF manifest"
        );
        // A comment longer than a line is read in pieces, as fgets does: the
        // rest is a line of its own.
        let long = format!("#{}\nfile a seq 1 type b\n", "x".repeat(2000));
        assert!(Manifest::parse(long.as_bytes())
            .unwrap_err()
            .ends_with("Invalid AOF manifest file format"));
        let fits = format!("#{}\nfile a seq 1 type b\n", "x".repeat(1000));
        assert_eq!(Manifest::parse(fits.as_bytes()).unwrap().base_seq, 1);
    }
}
