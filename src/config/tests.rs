use super::parse::*;
use super::*;

fn args(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn split(s: &str) -> Option<Vec<String>> {
    split_args(s.as_bytes()).map(|v| v.iter().map(|a| lossy(a)).collect())
}

fn get1(c: &Config, name: &str) -> String {
    let r = c.get(&[name.as_bytes()]);
    assert_eq!(r.len(), 1, "CONFIG GET {}", name);
    r[0].1.clone()
}

fn set1(c: &mut Config, name: &str, value: &str) -> Result<(), String> {
    c.set(&[(name.as_bytes(), value.as_bytes())])
}

/// A fresh path in the temp directory (the file is removed when the guard drops).
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, content: &str) -> TempFile {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let p = std::env::temp_dir().join(format!(
            "oxidis-cfgtest-{}-{}-{}",
            std::process::id(),
            nanos,
            name
        ));
        std::fs::write(&p, content).unwrap();
        TempFile(p)
    }
    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
    fn read(&self) -> String {
        std::fs::read_to_string(&self.0).unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn header() -> String {
    format!(
        "\n*** FATAL CONFIG FILE ERROR (oxidis {}) ***\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn line_error(linenum: usize, line: &str, msg: &str) -> String {
    format!(
        "{}Reading the configuration file, at line {}\n>>> '{}'\n{}",
        header(),
        linenum,
        line,
        msg
    )
}

fn load(text: &str) -> Result<Config, String> {
    let mut c = Config::default();
    c.load_str(text)?;
    Ok(c)
}

// ---- argument splitting and low-level parsing ---------------------------------------

#[test]
fn split_args_plain_and_quoted() {
    assert_eq!(split("  port   6379  ").unwrap(), ["port", "6379"]);
    assert_eq!(split("a \"b c\" 'd e'").unwrap(), ["a", "b c", "d e"]);
    assert_eq!(split("save \"\"").unwrap(), ["save", ""]);
    assert_eq!(split("x ab\"c d\"").unwrap(), ["x", "abc d"]);
    assert_eq!(split("").unwrap(), Vec::<String>::new());
    assert_eq!(split("   \t ").unwrap(), Vec::<String>::new());
}

#[test]
fn split_args_escapes() {
    assert_eq!(
        split(r#""a\nb\r\t\\\"\x41\x4a\q""#).unwrap(),
        ["a\nb\r\t\\\"AJq"]
    );
    assert_eq!(split_args(br#""\b\a""#).unwrap(), vec![vec![8u8, 7u8]]);
    // \x needs two hex digits, otherwise the x stands for itself.
    assert_eq!(split(r#""\xZZ""#).unwrap(), ["xZZ"]);
    assert_eq!(split_args(br#""\xff""#).unwrap(), vec![vec![0xffu8]]);
    // Single quotes only know \'.
    assert_eq!(split(r"'it\'s \n'").unwrap(), ["it's \\n"]);
}

#[test]
fn split_args_unbalanced() {
    assert_eq!(split("port \"abc"), None);
    assert_eq!(split("port 'abc"), None);
    assert_eq!(split("port \"abc\"x"), None);
    assert_eq!(split("port 'abc'x"), None);
    assert_eq!(split("port \"abc\\\""), None);
}

#[test]
fn repr_quotes_like_redis() {
    assert_eq!(repr(b"dump.rdb"), "\"dump.rdb\"");
    assert_eq!(
        repr(b"a\"b\\c\n\r\t\x07\x08\x01\xff"),
        "\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xff\""
    );
    assert_eq!(repr(b""), "\"\"");
}

#[test]
fn memory_units() {
    assert_eq!(parse_memory(b"100"), Some(100));
    assert_eq!(parse_memory(b"1b"), Some(1));
    assert_eq!(parse_memory(b"1k"), Some(1000));
    assert_eq!(parse_memory(b"1K"), Some(1000));
    assert_eq!(parse_memory(b"1kb"), Some(1024));
    assert_eq!(parse_memory(b"1kB"), Some(1024));
    assert_eq!(parse_memory(b"2m"), Some(2_000_000));
    assert_eq!(parse_memory(b"2MB"), Some(2 * 1024 * 1024));
    assert_eq!(parse_memory(b"3g"), Some(3_000_000_000));
    assert_eq!(parse_memory(b"3gb"), Some(3 << 30));
    assert_eq!(parse_memory(b"k"), Some(0));
    for bad in ["1t", "1tb", "+1", " 1", "1 k", "1.5k", "-1", "0x10"] {
        assert_eq!(parse_memory(bad.as_bytes()), None, "{}", bad);
    }
    assert_eq!(format_memory(0), "0");
    assert_eq!(format_memory(1000), "1000");
    assert_eq!(format_memory(2048), "2kb");
    assert_eq!(format_memory(64 << 20), "64mb");
    assert_eq!(format_memory(1 << 30), "1gb");
}

#[test]
fn integer_parsing() {
    assert_eq!(parse_ll(b"0"), Some(0));
    assert_eq!(parse_ll(b"-12"), Some(-12));
    assert_eq!(parse_ll(b"9223372036854775807"), Some(i64::MAX));
    assert_eq!(parse_ll(b"-9223372036854775808"), Some(i64::MIN));
    for bad in [
        "",
        "-",
        "-0",
        "05",
        "+5",
        " 5",
        "5 ",
        "1k",
        "9223372036854775808",
    ] {
        assert_eq!(parse_ll(bad.as_bytes()), None, "{:?}", bad);
    }
    assert_eq!(parse_strtoll(b"+5"), Some(5));
    assert_eq!(parse_strtoll(b"05"), Some(5));
    assert_eq!(parse_strtoll(b"-0"), Some(0));
    assert_eq!(parse_strtoll(b"5x"), None);
}

// ---- defaults and CONFIG GET ----------------------------------------------------------

#[test]
fn defaults_format_like_redis() {
    let c = Config::default();
    assert_eq!(c.port, 6379);
    assert_eq!(c.bind, ["*", "-::*"]);
    assert_eq!(c.databases, 16);
    assert_eq!(c.maxclients, 10000);
    assert_eq!(c.hz, 10);
    assert_eq!(c.proto_max_bulk_len, 512 << 20);
    assert_eq!(c.client_query_buffer_limit, 1 << 30);
    assert_eq!(c.requirepass, None);
    assert_eq!(c.enable_debug_command, ProtectedMode::No);
    assert_eq!(c.loglevel, LogLevel::Notice);
    assert_eq!(c.save.len(), 3);
    assert_eq!(c.list_max_listpack_size, -2);
    assert_eq!(c.dir, std::env::current_dir().unwrap());
    for (name, value) in [
        ("bind", "* -::*"),
        ("save", "3600 1 300 100 60 10000"),
        (
            "client-output-buffer-limit",
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
        ),
        ("proto-max-bulk-len", "536870912"),
        ("oom-score-adj-values", "0 200 800"),
        ("latency-tracking-info-percentiles", "50 99 99.9"),
        ("unixsocketperm", "0"),
        ("shutdown-on-sigint", "default"),
        ("maxmemory-policy", "noeviction"),
        ("protected-mode", "yes"),
        ("pidfile", ""),
        ("syslog-ident", "redis"),
        ("proc-title-template", "{title} {listen-addr} {server-mode}"),
        ("notify-keyspace-events", ""),
        ("replicaof", ""),
        ("slowlog-log-slower-than", "10000"),
        ("list-max-ziplist-size", "-2"),
    ] {
        assert_eq!(get1(&c, name), value, "{}", name);
    }
}

#[test]
fn config_get_patterns() {
    let c = Config::default();
    // Exact names echo the name as given; a glob uses the table's names.
    assert_eq!(
        c.get(&[b"PORT", b"p*", b"pOrt"])
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("port"))
            .collect::<Vec<_>>(),
        [&("PORT".to_string(), "6379".to_string())]
    );
    // Aliases are listed too.
    let names: Vec<String> = c
        .get(&[b"hash-max-*"])
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        names,
        [
            "hash-max-listpack-entries",
            "hash-max-ziplist-entries",
            "hash-max-listpack-value",
            "hash-max-ziplist-value"
        ]
    );
    // Hidden directives only by exact name.
    assert!(c
        .get(&[b"*delay*"])
        .iter()
        .all(|(k, _)| k != "key-load-delay"));
    assert_eq!(get1(&c, "key-load-delay"), "0");
    assert!(c.get(&[b"nosuch"]).is_empty());
    // Case-insensitive globs, character classes, each name once.
    let all = c.get(&[b"*", b"*"]);
    let mut uniq: Vec<_> = all.iter().map(|(k, _)| k.clone()).collect();
    uniq.dedup();
    assert_eq!(uniq.len(), all.len());
    assert!(all.len() > 180);
    assert_eq!(c.get(&[b"MAXMEMORY"]).len(), 1);
    assert_eq!(c.get(&[b"MAXMEM*"]).len(), 5);
    assert_eq!(c.get(&[b"[p]ort"]).len(), 1);
}

#[test]
fn directive_names_are_unique() {
    let mut names: Vec<&str> = Config::directive_names().collect();
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n);
    for name in names {
        assert_eq!(name, name.to_ascii_lowercase());
    }
}

// ---- loading ----------------------------------------------------------------------------

#[test]
fn load_basic_file() {
    let c = load(
        "# comment\n\n   PORT 7000  \r\nbind 127.0.0.1 ::1\ntimeout 30\nloglevel WARNING\n\
         requirepass \"p\\x41ss\"\nmaxmemory-clients 10%\nhash-max-ziplist-entries 100\n\
         client-output-buffer-limit normal 1mb 2mb 3 replica 4 5 6\n\
         unixsocket /tmp/x.sock\nunixsocketperm 0700\nenable-debug-command local\n\
         oom-score-adj relative\nshutdown-on-sigint nosave now\n",
    )
    .unwrap();
    assert_eq!(c.port, 7000);
    assert_eq!(c.bind, ["127.0.0.1", "::1"]);
    assert_eq!(c.timeout, 30);
    assert_eq!(c.loglevel, LogLevel::Warning);
    assert_eq!(c.requirepass.as_deref(), Some(&b"pAss"[..]));
    assert_eq!(c.maxmemory_clients, -10);
    assert_eq!(get1(&c, "maxmemory-clients"), "10%");
    assert_eq!(c.hash_max_listpack_entries, 100);
    assert_eq!(
        c.client_output_buffer_limit[ClientClass::Normal as usize],
        ClientBufferLimit {
            hard: 1 << 20,
            soft: 2 << 20,
            soft_seconds: 3
        }
    );
    assert_eq!(
        get1(&c, "client-output-buffer-limit"),
        "normal 1048576 2097152 3 slave 4 5 6 pubsub 33554432 8388608 60"
    );
    assert_eq!(c.unixsocket.as_deref(), Some("/tmp/x.sock"));
    assert_eq!(c.unixsocketperm, 0o700);
    assert_eq!(get1(&c, "unixsocketperm"), "700");
    assert_eq!(c.enable_debug_command, ProtectedMode::Local);
    assert_eq!(get1(&c, "oom-score-adj"), "yes");
    assert!(c.shutdown_on_sigint.has(ShutdownFlags::NOSAVE));
    assert_eq!(get1(&c, "shutdown-on-sigint"), "nosave now");
}

#[test]
fn load_error_texts() {
    assert_eq!(
        load("# x\nport \"abc\"\n").unwrap_err(),
        line_error(
            2,
            "port \"abc\"",
            "argument couldn't be parsed into an integer"
        )
    );
    assert_eq!(
        load("port abc def").unwrap_err(),
        line_error(1, "port abc def", "wrong number of arguments")
    );
    assert_eq!(
        load("nosuch 1").unwrap_err(),
        line_error(1, "nosuch 1", "Bad directive or wrong number of arguments")
    );
    assert_eq!(
        load("  port \"abc  \r").unwrap_err(),
        line_error(1, "port \"abc", "Unbalanced quotes in configuration line")
    );
    let cases = [
        (
            "port 65536",
            "argument must be between 0 and 65535 inclusive",
        ),
        (
            "databases 0",
            "argument must be between 1 and 2147483647 inclusive",
        ),
        ("daemonize maybe", "argument must be 'yes' or 'no'"),
        (
            "loglevel foo",
            "argument(s) must be one of the following: debug, verbose, notice, warning",
        ),
        (
            "oom-score-adj x",
            "argument(s) must be one of the following: no, yes, relative, absolute",
        ),
        ("maxmemory 1x", "argument must be a memory value"),
        (
            "maxmemory-clients x",
            "argument must be a memory or percent value",
        ),
        (
            "maxmemory-clients 200%",
            "percentage argument must be less or equal to 100",
        ),
        (
            "proto-max-bulk-len 1k",
            "argument must be between 1048576 and 9223372036854775807 inclusive",
        ),
        (
            "active-defrag-ignore-bytes 18446744073709551615",
            "argument must be between 1 and 9223372036854775807 inclusive",
        ),
        ("save 1", "Invalid save parameters"),
        ("save 0 1", "Invalid save parameters"),
        (
            "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
            "Too many bind addresses specified.",
        ),
        (
            "client-output-buffer-limit normal 1 2",
            "Wrong number of arguments in buffer limit configuration.",
        ),
        (
            "client-output-buffer-limit master 1 2 3",
            "Invalid client class specified in buffer limit configuration.",
        ),
        (
            "client-output-buffer-limit normal -1 2 3",
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
        ),
        ("oom-score-adj-values 1 2", "wrong number of arguments"),
        (
            "oom-score-adj-values 1 2 3000",
            "Invalid oom-score-adj-values, elements must be between -2000 and 2000.",
        ),
        (
            "latency-tracking-info-percentiles 101",
            "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
        ),
        (
            "latency-tracking-info-percentiles x",
            "Invalid latency-tracking-info-percentiles parameters",
        ),
        (
            "notify-keyspace-events Q",
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
        ),
        (
            "proc-title-template \"{foo}\"",
            "template format is invalid or contains unknown variables",
        ),
        (
            "unixsocketperm 800",
            "argument couldn't be parsed as an octal number",
        ),
        (
            "dbfilename a/b",
            "dbfilename can't be a path, just a filename",
        ),
        ("appendfilename \"\"", "appendfilename can't be empty"),
        (
            "appenddirname a/b",
            "appenddirname can't be a path, just a dirname",
        ),
        ("replicaof 127.0.0.1 x", "Invalid master port"),
        ("replicaof 127.0.0.1", "wrong number of arguments"),
        (
            "shutdown-on-sigint save nosave",
            "shutdown options SAVE and NOSAVE can't be used simultaneously",
        ),
        ("dir /nonexistent/oxidis/dir", "No such file or directory"),
        ("include a b", "Bad directive or wrong number of arguments"),
        (
            "sentinel monitor x",
            "sentinel directive while not in sentinel mode",
        ),
    ];
    for (line, msg) in cases {
        assert_eq!(
            load(line).unwrap_err(),
            line_error(1, line, msg),
            "{}",
            line
        );
    }
    // Removed directives are ignored like Redis 7.0 does.
    assert!(load("list-max-ziplist-entries 5\nlua-replicate-commands yes").is_ok());
}

#[test]
fn hz_is_clamped() {
    assert_eq!(load("hz 0").unwrap().hz, 1);
    assert_eq!(load("hz 100000").unwrap().hz, 500);
    let mut c = Config::default();
    set1(&mut c, "hz", "1000").unwrap();
    assert_eq!(get1(&c, "hz"), "500");
    assert_eq!(
        set1(&mut c, "hz", "-5").unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive"
    );
}

#[test]
fn unsupported_features_are_refused() {
    for (line, msg) in [
        (
            "daemonize yes",
            "daemonize yes is not supported yet by oxidis",
        ),
        (
            "io-threads 4",
            "io-threads 4 is not supported yet by oxidis",
        ),
        (
            "maxmemory 1mb",
            "maxmemory 1048576 is not supported yet by oxidis",
        ),
        (
            "maxmemory-policy allkeys-lru",
            "maxmemory-policy allkeys-lru is not supported yet by oxidis",
        ),
        (
            "replicaof 127.0.0.1 6379",
            "replicaof 127.0.0.1 6379 is not supported yet by oxidis",
        ),
        (
            "slaveof 127.0.0.1 6379",
            "replicaof 127.0.0.1 6379 is not supported yet by oxidis",
        ),
        (
            "cluster-enabled yes",
            "cluster-enabled yes is not supported yet by oxidis",
        ),
        (
            "tls-port 6380",
            "tls-port 6380 is not supported yet by oxidis",
        ),
        (
            "aclfile /etc/users.acl",
            "aclfile /etc/users.acl is not supported yet by oxidis",
        ),
        (
            "rename-command FLUSHALL \"\"",
            "rename-command is not supported yet by oxidis",
        ),
        (
            "loadmodule /x.so",
            "loadmodule is not supported yet by oxidis",
        ),
        (
            "user default on nopass",
            "user is not supported yet by oxidis",
        ),
    ] {
        assert_eq!(
            load(line).unwrap_err(),
            line_error(1, line, msg),
            "{}",
            line
        );
    }
    // Their "off" values are fine.
    let c = load(
        "appendonly no\ndaemonize no\nio-threads 1\nmaxmemory 0\n\
         maxmemory-policy noeviction\nnotify-keyspace-events \"\"\nreplicaof no one\n\
         cluster-enabled no\ntls-port 0\naclfile \"\"\n",
    )
    .unwrap();
    assert_eq!(
        c,
        Config {
            dir: c.dir.clone(),
            ..Default::default()
        }
    );
    // And CONFIG SET refuses them too.
    let mut c = Config::default();
    assert_eq!(
        set1(&mut c, "maxmemory", "1mb").unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - maxmemory 1048576 is not supported yet by oxidis"
    );
    assert!(set1(&mut c, "save", "900 1").is_ok());
    assert!(set1(&mut c, "save", "").is_ok());
    assert!(set1(&mut c, "maxmemory", "0").is_ok());
    assert!(set1(&mut c, "maxmemory", "1").is_err());
    assert!(set1(&mut c, "maxmemory-policy", "volatile-lru").is_err());
    assert!(set1(&mut c, "notify-keyspace-events", "Ex").is_ok());
    assert!(set1(&mut c, "notify-keyspace-events", "Q").is_err());
    assert_eq!(c.maxmemory, 0);
    assert_eq!(c.maxmemory_policy, MaxmemoryPolicy::NoEviction);
}

#[test]
fn save_lines() {
    // Redis semantics: the first save line replaces the defaults, later ones add rules; a
    // single empty argument clears.
    let mut c = Config::default();
    let mut ctx = Ctx::loading();
    let (d, _) = table::lookup("save").unwrap();
    let mut setsave = |c: &mut Config, a: &[&str]| {
        let a: Vec<Vec<u8>> = a.iter().map(|s| s.as_bytes().to_vec()).collect();
        // Straight to the parser, with the loading context.
        match &d.kind {
            table::Kind::Special { set, .. } => set(c, &a, &mut ctx),
            _ => unreachable!(),
        }
    };
    setsave(&mut c, &["900", "1"]).unwrap();
    setsave(&mut c, &["300", "10", "60", "10000"]).unwrap();
    assert_eq!(get1(&c, "save"), "900 1 300 10 60 10000");
    setsave(&mut c, &[""]).unwrap();
    assert_eq!(get1(&c, "save"), "");
    setsave(&mut c, &["+1", "-0"]).unwrap();
    assert_eq!(
        c.save,
        [SaveRule {
            seconds: 1,
            changes: 0
        }]
    );
    assert!(setsave(&mut c, &["1", "2", "3"]).is_err());
    // `save ""` as a single value, and `--save` without a value.
    assert!(load("save \"\"").unwrap().save.is_empty());
    assert!(Config::from_args(&args(&["--save"]))
        .unwrap()
        .save
        .is_empty());
    assert!(Config::from_args(&args(&["--save", "--port", "7001"])).is_ok());
}

#[test]
fn include_nested_and_glob() {
    let inner = TempFile::new("inner.conf", "timeout 42\n");
    let dir = std::env::temp_dir().join(format!("oxidis-cfgtest-glob-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.conf"), "tcp-keepalive 11\n").unwrap();
    std::fs::write(dir.join("b.conf"), "tcp-keepalive 22\nhz 33\n").unwrap();
    std::fs::write(dir.join("c.txt"), "nonsense\n").unwrap();
    let middle = TempFile::new(
        "middle.conf",
        &format!(
            "include {}\ninclude {}/*.conf\ninclude {}/nothing-*.conf\nport 7777\n",
            inner.path(),
            dir.display(),
            dir.display()
        ),
    );
    let c = load(&format!("port 1\ninclude {}\n", middle.path())).unwrap();
    assert_eq!(c.timeout, 42);
    assert_eq!(c.tcp_keepalive, 22);
    assert_eq!(c.hz, 33);
    assert_eq!(c.port, 7777);
    // An error inside an included file is reported with that file's line numbers.
    let bad = TempFile::new("bad.conf", "# one\nport x\n");
    assert_eq!(
        load(&format!("hz 5\ninclude {}\n", bad.path())).unwrap_err(),
        line_error(2, "port x", "argument couldn't be parsed into an integer")
    );
    assert_eq!(
        load("include /nonexistent/oxidis.conf").unwrap_err(),
        "Fatal error, can't open config file '/nonexistent/oxidis.conf': No such file or directory"
    );
    // Recursion is bounded.
    let looping = TempFile::new("loop.conf", "");
    std::fs::write(&looping.0, format!("include {}\n", looping.path())).unwrap();
    assert!(load(&format!("include {}", looping.path()))
        .unwrap_err()
        .contains("include nesting is too deep"));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- command line -----------------------------------------------------------------------

#[test]
fn command_line_overrides_file() {
    let f = TempFile::new("cli.conf", "port 7000\ntimeout 5\n");
    let c = Config::from_args(&args(&[
        &f.path(),
        "--port",
        "7001",
        "--hz",
        "20",
        "--port",
        "7002",
    ]))
    .unwrap();
    assert_eq!(c.port, 7002);
    assert_eq!(c.timeout, 5);
    assert_eq!(c.hz, 20);
    assert_eq!(c.config_file(), Some(f.0.as_path()));
    // Multi-argument directives: several arguments, or one quoted value.
    let c = Config::from_args(&args(&[
        "--bind",
        "127.0.0.1",
        "::1",
        "--oom-score-adj-values",
        "1 2  3",
    ]))
    .unwrap();
    assert_eq!(c.bind, ["127.0.0.1", "::1"]);
    assert_eq!(c.oom_score_adj_values, [1, 2, 3]);
    // "--name value" in one argument.
    assert_eq!(
        Config::from_args(&args(&["--port 7003"])).unwrap().port,
        7003
    );
    // No file: no config_file.
    assert_eq!(Config::from_args(&[]).unwrap().config_file(), None);
}

#[test]
fn command_line_error_texts() {
    assert_eq!(
        Config::from_args(&args(&["--port", "abc"])).unwrap_err(),
        line_error(
            2,
            "port \"abc\"",
            "argument couldn't be parsed into an integer"
        )
    );
    assert_eq!(
        Config::from_args(&args(&["--port", "6499", "--nosuchdirective", "1"])).unwrap_err(),
        line_error(
            3,
            "nosuchdirective \"1\"",
            "Bad directive or wrong number of arguments"
        )
    );
    assert_eq!(
        Config::from_args(&args(&["--port", "6499", "extra"])).unwrap_err(),
        line_error(2, "port \"6499\" \"extra\"", "wrong number of arguments")
    );
    assert_eq!(
        Config::from_args(&args(&["--port"])).unwrap_err(),
        line_error(2, "port", "wrong number of arguments")
    );
    // A name without value takes the next argument even if it starts with "--".
    assert_eq!(
        Config::from_args(&args(&["--port", "--hz"])).unwrap_err(),
        line_error(
            2,
            "port \"--hz\"",
            "argument couldn't be parsed into an integer"
        )
    );
    assert_eq!(
        Config::from_args(&args(&["--port", "a'b\"\n"])).unwrap_err(),
        line_error(
            2,
            "port \"a'b\\\"\\n\"",
            "argument couldn't be parsed into an integer"
        )
    );
    // The command line comes after the file (plus one empty line).
    let f = TempFile::new("cli2.conf", "# 1\n# 2\n");
    assert_eq!(
        Config::from_args(&args(&[&f.path(), "--port", "1", "--hz", "x"])).unwrap_err(),
        line_error(5, "hz \"x\"", "argument couldn't be parsed into an integer")
    );
    let missing = std::env::temp_dir().join("oxidis-cfgtest-no-such-file.conf");
    assert_eq!(
        Config::from_args(&args(&[&missing.to_string_lossy()])).unwrap_err(),
        format!(
            "Fatal error, can't open config file '{}': No such file or directory",
            missing.display()
        )
    );
    assert_eq!(
        Config::from_args(&args(&["--logfile", "/nonexistent/oxidis/x.log"])).unwrap_err(),
        format!(
            "{}Can't open the log file: No such file or directory",
            header()
        )
    );
}

// ---- CONFIG SET -------------------------------------------------------------------------

#[test]
fn config_set_error_texts() {
    let mut c = Config::default();
    let set = |c: &mut Config, pairs: &[(&str, &str)]| {
        let p: Vec<(&[u8], &[u8])> = pairs
            .iter()
            .map(|(a, b)| (a.as_bytes(), b.as_bytes()))
            .collect();
        c.set(&p)
    };
    let failed = |name: &str, msg: &str| {
        format!(
            "ERR CONFIG SET failed (possibly related to argument '{}') - {}",
            name, msg
        )
    };
    assert_eq!(
        set(&mut c, &[("foo", "1")]).unwrap_err(),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        set(&mut c, &[("hz", "abc"), ("foo", "1")]).unwrap_err(),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        set(&mut c, &[("foo", "1"), ("daemonize", "no")]).unwrap_err(),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        set(&mut c, &[("daemonize", "no")]).unwrap_err(),
        failed("daemonize", "can't set immutable config")
    );
    assert_eq!(
        set(&mut c, &[("port", "abc"), ("daemonize", "no")]).unwrap_err(),
        failed("daemonize", "can't set immutable config")
    );
    assert_eq!(
        set(&mut c, &[("port", "1"), ("PORT", "2")]).unwrap_err(),
        failed("PORT", "duplicate parameter")
    );
    assert_eq!(
        set(&mut c, &[("port", "abc"), ("port", "1")]).unwrap_err(),
        failed("port", "duplicate parameter")
    );
    // An alias and its directive are different names for this check (as in Redis).
    set(
        &mut c,
        &[
            ("list-max-ziplist-size", "1"),
            ("list-max-listpack-size", "2"),
        ],
    )
    .unwrap();
    assert_eq!(c.list_max_listpack_size, 2);
    assert_eq!(
        set(&mut c, &[("dir", "/tmp")]).unwrap_err(),
        failed("dir", "can't set protected config")
    );
    assert_eq!(
        set(&mut c, &[("dbfilename", "x.rdb")]).unwrap_err(),
        failed("dbfilename", "can't set protected config")
    );
    assert_eq!(
        set(&mut c, &[("Port", "1.5")]).unwrap_err(),
        failed("Port", "argument couldn't be parsed into an integer")
    );
    assert_eq!(
        set(&mut c, &[("timeout", "1k")]).unwrap_err(),
        failed("timeout", "argument couldn't be parsed into an integer")
    );
    assert_eq!(
        set(&mut c, &[("save", "1  2")]).unwrap_err(),
        failed("save", "Invalid save parameters")
    );
    assert_eq!(
        set(&mut c, &[("protected-mode", "1")]).unwrap_err(),
        failed("protected-mode", "argument must be 'yes' or 'no'")
    );
    assert_eq!(
        set(&mut c, &[("loglevel", "notice warning")]).unwrap_err(),
        failed(
            "loglevel",
            "argument(s) must be one of the following: debug, verbose, notice, warning"
        )
    );
    assert_eq!(
        set(&mut c, &[("maxmemory-clients", "-5%")]).unwrap_err(),
        failed(
            "maxmemory-clients",
            "argument must be a memory or percent value"
        )
    );
}

#[test]
fn config_set_values() {
    let mut c = Config::default();
    let ok = |c: &mut Config, n: &str, v: &str| set1(c, n, v).unwrap();
    ok(&mut c, "maxclients", "50");
    assert_eq!(c.maxclients, 50);
    ok(&mut c, "requirepass", "secret");
    assert_eq!(c.requirepass.as_deref(), Some(&b"secret"[..]));
    ok(&mut c, "requirepass", "");
    assert_eq!(c.requirepass, None);
    ok(&mut c, "LogLevel", "DEBUG");
    assert_eq!(get1(&c, "loglevel"), "debug");
    ok(&mut c, "active-defrag-ignore-bytes", "1KB");
    assert_eq!(c.active_defrag_ignore_bytes, 1024);
    ok(
        &mut c,
        "client-output-buffer-limit",
        "slave 1gb 0 0 replica 3000 3k 5",
    );
    assert_eq!(
        get1(&c, "client-output-buffer-limit"),
        "normal 0 0 0 slave 3000 3000 5 pubsub 33554432 8388608 60"
    );
    ok(&mut c, "client-output-buffer-limit", "");
    ok(&mut c, "bind", "127.0.0.1 ::1");
    assert_eq!(c.bind, ["127.0.0.1", "::1"]);
    ok(&mut c, "bind", "");
    assert!(c.bind.is_empty());
    ok(&mut c, "latency-tracking-info-percentiles", "");
    assert!(c.latency_tracking_info_percentiles.is_empty());
    ok(&mut c, "shutdown-on-sigterm", "default now");
    assert_eq!(get1(&c, "shutdown-on-sigterm"), "now");
    ok(&mut c, "lua-time-limit", "100");
    assert_eq!(c.busy_reply_threshold, 100);
    ok(&mut c, "slave-read-only", "no");
    assert!(!c.replica_read_only);
    ok(&mut c, "key-load-delay", "-5");
    assert_eq!(c.key_load_delay, -5);
    ok(&mut c, "proc-title-template", "x {port}");
    assert!(set1(&mut c, "proc-title-template", "{title}").is_err());
    assert_eq!(
        c.set_as(&[(b"port", b"7000"), (b"hz", b"20")], false)
            .unwrap(),
        ["port", "hz"]
    );
}

#[test]
fn config_set_is_atomic() {
    let mut c = Config::default();
    let before = c.clone();
    let err = c
        .set(&[
            (b"timeout", b"100"),
            (b"maxclients", b"5"),
            (b"port", b"notaport"),
            (b"hz", b"50"),
        ])
        .unwrap_err();
    assert_eq!(
        err,
        "ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer"
    );
    assert_eq!(c, before);
    // A refused feature also leaves everything unchanged.
    assert!(c
        .set(&[(b"timeout", b"100"), (b"maxmemory", b"1mb")])
        .is_err());
    assert_eq!(c, before);
    // All good: everything applied.
    c.set(&[(b"timeout", b"100"), (b"maxclients", b"5")])
        .unwrap();
    assert_eq!((c.timeout, c.maxclients), (100, 5));
}

#[test]
fn config_set_dir() {
    let cwd = std::env::current_dir().unwrap();
    let mut c = load("enable-protected-configs yes").unwrap();
    let failed = |msg: &str| {
        format!(
            "ERR CONFIG SET failed (possibly related to argument 'dir') - {}",
            msg
        )
    };
    assert_eq!(
        set1(&mut c, "dir", "/nonexistent/oxidis").unwrap_err(),
        failed("No such file or directory")
    );
    let f = TempFile::new("notadir", "");
    assert_eq!(
        set1(&mut c, "dir", &f.path()).unwrap_err(),
        failed("Not a directory")
    );
    // A failing directive next to dir: nothing changes (and no chdir).
    assert!(c
        .set(&[(b"dir", cwd.to_string_lossy().as_bytes()), (b"port", b"x")])
        .is_err());
    // Setting the current directory (so that the test does not move the process).
    set1(&mut c, "dir", &cwd.to_string_lossy()).unwrap();
    assert_eq!(c.dir, std::fs::canonicalize(&cwd).unwrap());
    assert_eq!(
        get1(&c, "dir"),
        std::env::current_dir().unwrap().to_string_lossy()
    );
    // Protected directives with "local": only local clients.
    let mut c = load("enable-protected-configs local").unwrap();
    assert!(c.set_as(&[(b"dbfilename", b"a.rdb")], false).is_err());
    c.set_as(&[(b"dbfilename", b"a.rdb")], true).unwrap();
    assert_eq!(c.dbfilename, "a.rdb");
    // Loading `dir` chdir()s (to the current directory here).
    let c = load(&format!("dir {}", cwd.display())).unwrap();
    assert_eq!(c.dir, std::env::current_dir().unwrap());
}

// ---- CONFIG REWRITE -----------------------------------------------------------------------

#[test]
fn rewrite_without_file() {
    assert_eq!(
        Config::default().rewrite().unwrap_err(),
        "ERR The server is running without a config file"
    );
}

#[test]
fn rewrite_keeps_comments_and_order() {
    let original = "# Top comment\n\n   port 6432\ndaemonize no\n  # indented comment\n\
                    hash-max-ziplist-entries 100\ntimeout 0\ndbfilename dump.rdb\nhz 10\nhz 11\n\
                    maxmemory 0\nclient-output-buffer-limit normal 1mb 2mb 3\nrequirepass secret\n\
                    logfile \"\"\nbind * -::*\n\n\n\n# trailing comment\n";
    let f = TempFile::new("rewrite.conf", original);
    let mut c = Config::from_args(&args(&[&f.path()])).unwrap();
    assert_eq!((c.port, c.hz), (6432, 11));
    c.set(&[
        (b"maxmemory-samples", b"7"),
        (b"requirepass", b""),
        (b"slowlog-max-len", b"1024"),
        (b"client-output-buffer-limit", b"replica 3000 3k 5"),
        (b"masterauth", b"x\"y"),
        (b"hash-max-listpack-value", b"2048"),
    ])
    .unwrap();
    c.rewrite().unwrap();
    let cwd = std::env::current_dir().unwrap();
    let expected = format!(
        "# Top comment\n\nport 6432\ndaemonize no\n# indented comment\n\
         hash-max-listpack-entries 100\ntimeout 0\ndbfilename \"dump.rdb\"\nhz 11\n\n\
         maxmemory 0\nclient-output-buffer-limit normal 1mb 2mb 3\n\nlogfile \"\"\n\n\
         # trailing comment\n\n# Generated by CONFIG REWRITE\nsave 3600 1\nsave 300 100\n\
         save 60 10000\ndir {}\n\
         masterauth \"x\\\"y\"\nmaxmemory-samples 7\nslowlog-max-len 1024\n\
         latency-tracking-info-percentiles 50 99 99.9\nhash-max-listpack-value 2kb\n\
         client-output-buffer-limit replica 3000 3000 5\n",
        repr(cwd.to_string_lossy().as_bytes())
    );
    assert_eq!(f.read(), expected);
    // Rewriting again only adds one empty line at the end (as Redis does: the final
    // newline counts as an empty last line, and runs of empty lines collapse), then
    // nothing changes; the result loads back to the same config.
    c.rewrite().unwrap();
    assert_eq!(f.read(), format!("{}\n", expected));
    c.rewrite().unwrap();
    assert_eq!(f.read(), format!("{}\n", expected));
    let again = Config::from_args(&args(&[&f.path()])).unwrap();
    assert_eq!(again, c);
}

#[test]
fn rewrite_orphans_and_unknown_lines() {
    let mut c = Config::default();
    c.save.clear();
    let old = b"save \"\"\nsave \"\"\nbogus directive\nport \"unbalanced\ninclude /x.conf\n\
                rename-command FOO BAR\nrequirepass \"\"\nclient-output-buffer-limit pubsub 32mb 8mb 60\n\
                # Generated by CONFIG REWRITE\n";
    let out = rewrite::rewrite_content(&c, old);
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        out,
        format!(
            "save \"\"\n\n# ??? bogus directive\n# ??? port \"unbalanced\ninclude /x.conf\n\
             rename-command FOO BAR\n\nclient-output-buffer-limit normal 0 0 0\n\
             # Generated by CONFIG REWRITE\n\ndir {}\nlatency-tracking-info-percentiles 50 99 99.9\n",
            repr(cwd.to_string_lossy().as_bytes())
        )
    );
    // An empty (or missing) file gets the forced directives.
    let out = rewrite::rewrite_content(&c, b"");
    assert!(out.starts_with("# Generated by CONFIG REWRITE\nsave \"\"\ndir "));
}

#[test]
fn rewrite_formats_values() {
    let mut c = Config::default();
    c.set(&[
        (b"maxmemory-clients", b"5%"),
        (b"bind", b"127.0.0.1"),
        (b"oom-score-adj", b"absolute"),
        (b"shutdown-on-sigint", b"nosave now"),
        (b"latency-tracking-info-percentiles", b""),
        (b"proto-max-bulk-len", b"1gb"),
        (b"client-query-buffer-limit", b"1048577"),
        (b"appendfsync", b"always"),
        (b"masteruser", b"a b"),
    ])
    .unwrap();
    let out = rewrite::rewrite_content(&c, b"");
    for line in [
        "maxmemory-clients 5%",
        "bind 127.0.0.1",
        "oom-score-adj absolute",
        "shutdown-on-sigint nosave now",
        "latency-tracking-info-percentiles \"\"",
        "proto-max-bulk-len 1gb",
        "client-query-buffer-limit 1048577",
        "appendfsync always",
        "masteruser \"a b\"",
    ] {
        assert!(out.lines().any(|l| l == line), "{} in\n{}", line, out);
    }
    assert!(!out.contains("\nport "));
}

// ---- shipped config -----------------------------------------------------------------------

#[test]
fn shipped_config_loads() {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/conf/oxidis.conf"));
    let c = load(text).unwrap();
    let d = Config {
        dir: c.dir.clone(),
        ..Default::default()
    };
    assert_eq!(c, d, "conf/oxidis.conf must hold the embedded defaults");
    // Every directive line is one the table knows.
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split_whitespace().next().unwrap().to_ascii_lowercase();
        assert!(table::lookup(&name).is_some(), "{}", line);
    }
}
