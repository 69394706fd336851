//! oxidis-server: `oxidis-server [config-file | -] [--directive value ...]`, as redis-server.

use clap::{Arg, ArgAction};
use oxidis::config::Config;
use oxidis::server::{self, Server};
use std::io::Write;

// jemalloc, as Redis uses: small size classes keep per-key overhead low.
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn version_line() -> String {
    format!(
        "oxidis server v={} redis-compat={} bits=64",
        env!("CARGO_PKG_VERSION"),
        oxidis::REDIS_VERSION
    )
}

fn cli() -> clap::Command {
    clap::Command::new("oxidis-server")
        .about("A Redis-compatible server")
        .override_usage(
            "oxidis-server [/path/to/oxidis.conf] [options] [-]\n       \
             oxidis-server - (read config from stdin)\n       \
             oxidis-server -v or --version\n       \
             oxidis-server -h or --help\n\n\
             Examples:\n       \
             oxidis-server (run the server with default conf)\n       \
             oxidis-server conf/oxidis.conf\n       \
             oxidis-server --port 7777\n       \
             oxidis-server conf/oxidis.conf --port 7777 --save \"\"",
        )
        .disable_version_flag(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::SetTrue)
                .help("Print this help and exit"),
        )
        .arg(
            Arg::new("version")
                .short('v')
                .long("version")
                .action(ArgAction::SetTrue)
                .help("Print the version and exit"),
        )
        .arg(
            Arg::new("args")
                .num_args(0..)
                .trailing_var_arg(true)
                .allow_hyphen_values(true)
                .help("A config file (or - for stdin) followed by --directive value overrides"),
        )
}

fn init_logging(config: &Config) {
    let level = match config.loglevel.as_str() {
        "debug" => log::LevelFilter::Debug,
        "verbose" => log::LevelFilter::Info,
        "notice" => log::LevelFilter::Info,
        "warning" => log::LevelFilter::Warn,
        _ => log::LevelFilter::Info,
    };
    let mut b = env_logger::Builder::new();
    b.filter_level(level).format(|buf, record| {
        let mark = match record.level() {
            log::Level::Error | log::Level::Warn => '#',
            log::Level::Info => '*',
            _ => '.',
        };
        writeln!(
            buf,
            "{}:M {} {} {}",
            std::process::id(),
            buf.timestamp_millis(),
            mark,
            record.args()
        )
    });
    if !config.logfile.is_empty() {
        match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&config.logfile)
        {
            Ok(f) => {
                b.target(env_logger::Target::Pipe(Box::new(f)));
            }
            Err(e) => {
                eprintln!("Can't open the log file: {e}");
                std::process::exit(1);
            }
        }
    }
    let _ = b.try_init();
}

fn main() {
    let matches = cli().get_matches();
    if matches.get_flag("help") {
        // Like redis-server, usage goes to stderr with exit status 1.
        eprintln!("{}", cli().render_help());
        std::process::exit(1);
    }
    if matches.get_flag("version") {
        println!("{}", version_line());
        return;
    }
    let args: Vec<String> = matches
        .get_many::<String>("args")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    let config = match Config::from_args(&args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(1);
        }
    };
    init_logging(&config);
    log::info!(
        "oxidis is starting, version={} pid={}",
        env!("CARGO_PKG_VERSION"),
        std::process::id()
    );
    if config.config_file().is_none() {
        log::warn!("Warning: no config file specified, using the default config. In order to specify a config file use oxidis-server /path/to/oxidis.conf");
    }
    let pidfile = config.pidfile.clone();
    let mut srv = match Server::new(config) {
        Ok(s) => s,
        Err(e) => {
            log::error!("{e}");
            std::process::exit(1);
        }
    };
    let started = std::time::Instant::now();
    let path = oxidis::persistence::snapshot::dump_path(&srv.core);
    // With appendonly yes the AOF is the dataset, as in Redis: dump.rdb is not read.
    let loaded = if srv.core.config.appendonly {
        oxidis::persistence::aof::start(&mut srv.core).map(|_| None)
    } else {
        // The AOF's manifest is still read (BGREWRITEAOF and DEBUG LOADAOF use it).
        oxidis::persistence::aof::boot_when_off(&mut srv.core)
            .and_then(|()| oxidis::persistence::snapshot::load(&mut srv.core, &path, false))
    };
    match loaded {
        Ok(Some(info)) => log::info!(
            "DB loaded from disk: {:.3} seconds ({} keys, {} expired keys skipped)",
            started.elapsed().as_secs_f64(),
            info.keys,
            info.expired
        ),
        Ok(None) => {}
        Err(e) => {
            log::error!("{e}");
            log::error!("Fatal error loading the DB. Exiting.");
            std::process::exit(1);
        }
    }
    if !pidfile.is_empty() {
        let _ = std::fs::write(&pidfile, format!("{}\n", std::process::id()));
    }
    server::install_signal_handlers();
    log::info!("Ready to accept connections");
    let result = srv.run();
    if !pidfile.is_empty() {
        let _ = std::fs::remove_file(&pidfile);
    }
    match result {
        Ok(()) => log::warn!("oxidis is now ready to exit, bye bye..."),
        Err(e) => {
            log::error!("Event loop failed: {e}");
            std::process::exit(1);
        }
    }
}
