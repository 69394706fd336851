//! Connection commands: PING ECHO QUIT RESET HELLO AUTH CLIENT DEBUG, RESP3.

use std::collections::HashMap;

use crate::support::*;

const NOAUTH: &str = "NOAUTH Authentication required.";
const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";
const SYNTAX: &str = "ERR syntax error";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

/// Parses one CLIENT LIST / CLIENT INFO line into its fields.
fn client_fields(line: &str) -> HashMap<String, String> {
    line.trim_end_matches('\n')
        .split(' ')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// CLIENT LIST as (id -> fields).
fn client_list(c: &mut Conn, extra: &[&str]) -> Vec<HashMap<String, String>> {
    let mut args = vec!["CLIENT", "LIST"];
    args.extend_from_slice(extra);
    let text = c.cmd(&args).str_val();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "CLIENT LIST ends each line with \\n: {text:?}"
    );
    text.lines().map(client_fields).collect()
}

/// Checks a HELLO reply (RESP2 flat array or RESP3 map).
#[track_caller]
fn check_hello(r: &Reply, proto: i64, id: Option<i64>) {
    let pairs = match (proto, r) {
        (3, Reply::Map(m)) => m.clone(),
        (2, Reply::Array(_)) => r.as_pairs().expect("even-length array"),
        _ => panic!("HELLO {proto}: unexpected reply shape {r:?}"),
    };
    let keys: Vec<String> = pairs.iter().map(|(k, _)| k.str_val()).collect();
    assert_eq!(
        keys,
        ["server", "version", "proto", "id", "mode", "role", "modules"],
        "HELLO keys: {r:?}"
    );
    for (k, _) in &pairs {
        assert!(
            matches!(k, Reply::Bulk(_)),
            "HELLO keys are bulk strings: {r:?}"
        );
    }
    let v = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.str_val() == name)
            .unwrap()
            .1
            .clone()
    };
    // Server-specific: only the type is checked.
    assert!(
        matches!(v("server"), Reply::Bulk(ref b) if !b.is_empty()),
        "server: {r:?}"
    );
    assert!(
        matches!(v("version"), Reply::Bulk(ref b) if !b.is_empty()),
        "version: {r:?}"
    );
    assert!(matches!(v("modules"), Reply::Array(_)), "modules: {r:?}");
    assert_eq!(v("proto"), int(proto));
    let got_id = v("id").int_val();
    assert!(got_id > 0);
    if let Some(id) = id {
        assert_eq!(got_id, id, "HELLO id is the CLIENT ID");
    }
    assert_eq!(v("mode"), bulk("standalone"));
    assert_eq!(v("role"), bulk("master"));
}

#[test]
fn ping_echo() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["PING"], status("PONG"));
        c.expect(&["ping"], status("PONG"));
        c.expect(&["PING", "hello world"], bulk("hello world"));
        c.expect(&["PING", ""], bulk(""));
        c.expect(&["PING", "a", "b"], err(&arity("ping")));
        c.expect(&["ECHO", "hi"], bulk("hi"));
        c.expect(&[b"ECHO" as &[u8], b"\x00\xff\r\n"], bulk(b"\x00\xff\r\n"));
        c.expect(&["ECHO", ""], bulk(""));
        c.expect(&["ECHO"], err(&arity("echo")));
        c.expect(&["ECHO", "a", "b"], err(&arity("echo")));
    });
}

#[test]
fn select_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SELECT", "15"]);
        c.ok(&["SET", "k", "in15"]);
        c.expect(&["SELECT", "16"], err("ERR DB index is out of range"));
        c.expect(&["SELECT", "-1"], err("ERR DB index is out of range"));
        // Fits in i64 but not in i32: a different message (sic).
        let int_range = "ERR value is out of range, value must between -2147483648 and 2147483647";
        c.expect(&["SELECT", "2147483648"], err(int_range));
        c.expect(&["SELECT", "-2147483649"], err(int_range));
        c.expect(
            &["SELECT", "99999999999999999999"],
            err("ERR value is not an integer or out of range"),
        );
        c.expect(
            &["SELECT", "x"],
            err("ERR value is not an integer or out of range"),
        );
        c.expect(
            &["SELECT", ""],
            err("ERR value is not an integer or out of range"),
        );
        c.expect(&["SELECT", "0", "1"], err(&arity("select")));
        c.expect(&["GET", "k"], bulk("in15"));
    });
}

#[test]
fn quit_closes_connection() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["QUIT"], ok());
        c.assert_closed();
        // Commands pipelined after QUIT are not executed.
        let mut c = s.connect();
        c.send_raw(&[encode_cmd(&["QUIT"]), encode_cmd(&["SET", "after", "quit"])].concat());
        assert_eq!(c.read_reply(), ok());
        c.assert_closed();
        let mut c2 = s.connect();
        c2.expect(&["EXISTS", "after"], int(0));
        // The server keeps serving.
        c2.expect(&["PING"], status("PONG"));
    });
}

#[test]
fn reset_restores_defaults() {
    each_server(|s| {
        let mut c = s.connect();
        let id = c.cmd(&["CLIENT", "ID"]).int_val();
        c.ok(&["SELECT", "5"]);
        c.ok(&["CLIENT", "SETNAME", "myname"]);
        check_hello(&c.cmd(&["HELLO", "3"]), 3, Some(id));
        c.expect(&["RESET"], status("RESET"));
        c.expect(&["CLIENT", "GETNAME"], nil());
        c.expect(&["GET", "missing"], nil());
        let info = client_fields(&c.cmd(&["CLIENT", "INFO"]).str_val());
        assert_eq!(info["db"], "0");
        assert_eq!(info["name"], "");
        assert_eq!(info["resp"], "2");
        // Same connection, same id.
        c.expect(&["CLIENT", "ID"], int(id));
        c.expect(&["RESET", "x"], err(&arity("reset")));
    });
}

#[test]
fn hello_resp2_and_resp3() {
    each_server(|s| {
        let mut c = s.connect();
        let id = c.cmd(&["CLIENT", "ID"]).int_val();
        // Without arguments: reports the current protocol, changes nothing.
        check_hello(&c.cmd(&["HELLO"]), 2, Some(id));
        check_hello(&c.cmd(&["HELLO", "2"]), 2, Some(id));
        c.expect(&["GET", "missing"], nil());
        check_hello(&c.cmd(&["HELLO", "3"]), 3, Some(id));
        c.expect(&["GET", "missing"], null());
        check_hello(&c.cmd(&["HELLO"]), 3, Some(id));
        check_hello(&c.cmd(&["hello", "2"]), 2, Some(id));
        c.expect(&["GET", "missing"], nil());
        // Errors leave the protocol unchanged.
        c.expect(&["HELLO", "4"], err("NOPROTO unsupported protocol version"));
        c.expect(&["HELLO", "1"], err("NOPROTO unsupported protocol version"));
        c.expect(&["HELLO", "0"], err("NOPROTO unsupported protocol version"));
        c.expect(
            &["HELLO", "-1"],
            err("NOPROTO unsupported protocol version"),
        );
        c.expect(
            &["HELLO", "abc"],
            err("ERR Protocol version is not an integer or out of range"),
        );
        c.expect(
            &["HELLO", "3", "FOO"],
            err("ERR Syntax error in HELLO option 'FOO'"),
        );
        c.expect(
            &["HELLO", "3", "AUTH"],
            err("ERR Syntax error in HELLO option 'AUTH'"),
        );
        c.expect(
            &["HELLO", "3", "AUTH", "default"],
            err("ERR Syntax error in HELLO option 'AUTH'"),
        );
        c.expect(
            &["HELLO", "3", "setname"],
            err("ERR Syntax error in HELLO option 'setname'"),
        );
        c.expect(&["GET", "missing"], nil());
    });
}

#[test]
fn hello_setname_and_auth_without_password() {
    each_server(|s| {
        let mut c = s.connect();
        let id = c.cmd(&["CLIENT", "ID"]).int_val();
        check_hello(&c.cmd(&["HELLO", "3", "SETNAME", "conn-a"]), 3, Some(id));
        c.expect(&["CLIENT", "GETNAME"], bulk("conn-a"));
        c.expect(
            &["HELLO", "2", "SETNAME", "bad name"],
            err("ERR Client names cannot contain spaces, newlines or special characters."),
        );
        // The failed HELLO did not switch protocol or rename.
        c.expect(&["GET", "missing"], null());
        c.expect(&["CLIENT", "GETNAME"], bulk("conn-a"));
        // The default user has no password: any password is accepted.
        check_hello(
            &c.cmd(&["HELLO", "2", "AUTH", "default", "whatever", "SETNAME", "b"]),
            2,
            Some(id),
        );
        c.expect(&["CLIENT", "GETNAME"], bulk("b"));
        c.expect(&["HELLO", "3", "AUTH", "nosuchuser", "x"], err(WRONGPASS));
    });
}

#[test]
fn auth_without_requirepass() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["AUTH", "foo"],
            err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"),
        );
        // Two-argument form checks the user's password (nopass user: anything goes).
        c.ok(&["AUTH", "default", "anything"]);
        c.expect(&["AUTH", "nobody", "x"], err(WRONGPASS));
        c.expect(&["AUTH", "a", "b", "c"], err(SYNTAX));
        c.expect(&["AUTH"], err(&arity("auth")));
        c.expect(&["PING"], status("PONG"));
    });
}

#[test]
fn auth_with_requirepass() {
    each_server_with(&["--requirepass", "pw"], |s| {
        let mut c = s.connect();
        for cmd in [
            vec!["GET", "k"],
            vec!["PING"],
            vec!["SET", "k", "v"],
            vec!["CLIENT", "ID"],
            vec!["SELECT", "1"],
            vec!["ECHO", "x"],
        ] {
            c.expect(&cmd, err(NOAUTH));
        }
        // Unknown commands and arity errors are reported before NOAUTH.
        c.expect(
            &["NOSUCHCOMMAND"],
            err("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: "),
        );
        c.expect(&["GET"], err(&arity("get")));
        let hello_noauth = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time";
        c.expect(&["HELLO"], err(hello_noauth));
        c.expect(&["HELLO", "3"], err(hello_noauth));
        c.expect(&["HELLO", "3", "AUTH", "default", "wrong"], err(WRONGPASS));
        c.expect(&["AUTH", "wrong"], err(WRONGPASS));
        c.expect(&["AUTH", "default", "wrong"], err(WRONGPASS));
        c.expect(&["AUTH", "nobody", "pw"], err(WRONGPASS));
        c.expect(&["GET", "k"], err(NOAUTH));
        c.ok(&["AUTH", "pw"]);
        c.expect(&["GET", "k"], nil());
        c.ok(&["SET", "k", "v"]);
        // Re-authenticating with a wrong password does not log out.
        c.expect(&["AUTH", "bad"], err(WRONGPASS));
        c.expect(&["GET", "k"], bulk("v"));
        // Two-argument AUTH with the default user.
        let mut c2 = s.connect();
        c2.ok(&["AUTH", "default", "pw"]);
        c2.expect(&["GET", "k"], bulk("v"));
        // HELLO with AUTH authenticates and switches protocol in one go.
        let mut c3 = s.connect();
        let r = c3.cmd(&["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "c3"]);
        check_hello(&r, 3, None);
        c3.expect(&["GET", "missing"], null());
        c3.expect(&["CLIENT", "GETNAME"], bulk("c3"));
        // RESET logs the connection out again.
        c3.expect(&["RESET"], status("RESET"));
        c3.expect(&["GET", "k"], err(NOAUTH));
        // QUIT works without authentication.
        let mut c4 = s.connect();
        c4.expect(&["QUIT"], ok());
        c4.assert_closed();
    });
}

#[test]
fn client_id_and_names() {
    each_server(|s| {
        let mut c = s.connect();
        let mut c2 = s.connect();
        let id1 = c.cmd(&["CLIENT", "ID"]).int_val();
        let id2 = c2.cmd(&["CLIENT", "ID"]).int_val();
        assert!(id1 > 0 && id2 > id1, "ids increase: {id1} {id2}");
        c.expect(&["CLIENT", "ID"], int(id1));
        c.expect(&["CLIENT", "GETNAME"], nil());
        c.ok(&["CLIENT", "SETNAME", "first"]);
        c.expect(&["CLIENT", "GETNAME"], bulk("first"));
        c2.expect(&["CLIENT", "GETNAME"], nil());
        c.ok(&["client", "setname", "renamed"]);
        c.expect(&["CLIENT", "GETNAME"], bulk("renamed"));
        c.ok(&["CLIENT", "SETNAME", ""]);
        c.expect(&["CLIENT", "GETNAME"], nil());
        let bad = "ERR Client names cannot contain spaces, newlines or special characters.";
        for name in ["a b", "a\nb", "tab\there", "\x01"] {
            c.expect(&["CLIENT", "SETNAME", name], err(bad));
        }
        c.expect(&["CLIENT", "SETNAME"], err(&arity("client|setname")));
        c.expect(
            &["CLIENT", "SETNAME", "a", "b"],
            err(&arity("client|setname")),
        );
        c.expect(&["CLIENT", "GETNAME", "x"], err(&arity("client|getname")));
        c.expect(&["CLIENT", "ID", "x"], err(&arity("client|id")));
        c.expect(
            &["CLIENT", "FOO"],
            err("ERR unknown subcommand 'FOO'. Try CLIENT HELP."),
        );
        c.expect(&["CLIENT"], err(&arity("client")));
    });
}

#[test]
fn client_list_and_info() {
    each_server(|s| {
        let mut c = s.connect();
        let mut other = s.connect();
        let id = c.cmd(&["CLIENT", "ID"]).int_val();
        let other_id = other.cmd(&["CLIENT", "ID"]).int_val();
        c.ok(&["CLIENT", "SETNAME", "lister"]);
        c.ok(&["SELECT", "3"]);
        wait_for(secs(10), || client_list(&mut c, &[]).len() == 2);
        let list = client_list(&mut c, &[]);
        assert_eq!(list.len(), 2, "{list:?}");
        let me = list
            .iter()
            .find(|f| f["id"] == id.to_string())
            .expect("own line");
        for field in [
            "id",
            "addr",
            "laddr",
            "fd",
            "name",
            "age",
            "idle",
            "flags",
            "db",
            "sub",
            "psub",
            "multi",
            "qbuf",
            "qbuf-free",
            "obl",
            "oll",
            "omem",
            "tot-mem",
            "events",
            "cmd",
            "user",
            "resp",
        ] {
            assert!(me.contains_key(field), "CLIENT LIST lacks {field}: {me:?}");
        }
        assert_eq!(me["addr"], c.local_addr().to_string());
        assert_eq!(me["laddr"], format!("127.0.0.1:{}", s.port()));
        assert_eq!(me["name"], "lister");
        assert_eq!(me["db"], "3");
        assert_eq!(me["cmd"], "client|list");
        assert_eq!(me["user"], "default");
        assert_eq!(me["resp"], "2");
        assert_eq!(me["flags"], "N");
        assert_eq!(me["sub"], "0");
        assert_eq!(me["multi"], "-1");
        for numeric in ["fd", "age", "idle", "qbuf", "obl", "oll", "omem", "tot-mem"] {
            assert!(
                me[numeric].parse::<i64>().is_ok(),
                "{numeric}={}",
                me[numeric]
            );
        }
        let them = list
            .iter()
            .find(|f| f["id"] == other_id.to_string())
            .expect("other line");
        assert_eq!(them["cmd"], "client|id");
        assert_eq!(them["db"], "0");
        assert_eq!(them["name"], "");
        // Filters.
        let only = client_list(&mut c, &["ID", &other_id.to_string()]);
        assert_eq!(only.len(), 1);
        assert_eq!(only[0]["id"], other_id.to_string());
        let both = client_list(
            &mut c,
            &["ID", &id.to_string(), &other_id.to_string(), "999999"],
        );
        assert_eq!(both.len(), 2);
        assert_eq!(client_list(&mut c, &["TYPE", "normal"]).len(), 2);
        assert_eq!(client_list(&mut c, &["TYPE", "pubsub"]).len(), 0);
        c.expect(
            &["CLIENT", "LIST", "ID", "abc"],
            err("ERR Invalid client ID"),
        );
        c.expect(
            &["CLIENT", "LIST", "TYPE", "foo"],
            err("ERR Unknown client type 'foo'"),
        );
        c.expect(&["CLIENT", "LIST", "FOO"], err(SYNTAX));
        // CLIENT INFO: the same line for this connection only.
        let info_text = c.cmd(&["CLIENT", "INFO"]).str_val();
        assert!(
            info_text.ends_with('\n') && info_text.lines().count() == 1,
            "{info_text:?}"
        );
        let info = client_fields(&info_text);
        assert_eq!(info["id"], id.to_string());
        assert_eq!(info["cmd"], "client|info");
        assert_eq!(info["name"], "lister");
        // After HELLO 3 both are verbatim strings and show resp=3.
        c.cmd(&["HELLO", "3"]);
        match c.cmd(&["CLIENT", "INFO"]) {
            Reply::Verbatim(fmt, text) => {
                assert_eq!(fmt, "txt");
                assert_eq!(client_fields(&text)["resp"], "3");
            }
            other => panic!("CLIENT INFO in RESP3 should be verbatim, got {other:?}"),
        }
        assert!(matches!(c.cmd(&["CLIENT", "LIST"]), Reply::Verbatim(..)));
    });
}

#[test]
fn client_kill() {
    each_server(|s| {
        let mut c = s.connect();
        // By ID (new style): returns the number of killed clients.
        let mut v1 = s.connect();
        let v1_id = v1.cmd(&["CLIENT", "ID"]).int_val().to_string();
        c.expect(&["CLIENT", "KILL", "ID", &v1_id], int(1));
        v1.assert_closed();
        c.expect(&["CLIENT", "KILL", "ID", &v1_id], int(0));
        // By ADDR (new style).
        let mut v2 = s.connect();
        v2.expect(&["PING"], status("PONG"));
        let addr = v2.local_addr().to_string();
        c.expect(&["CLIENT", "KILL", "ADDR", &addr], int(1));
        v2.assert_closed();
        c.expect(&["CLIENT", "KILL", "ADDR", &addr], int(0));
        // Old style: CLIENT KILL ip:port replies +OK or an error.
        let mut v3 = s.connect();
        v3.expect(&["PING"], status("PONG"));
        let addr3 = v3.local_addr().to_string();
        c.ok(&["CLIENT", "KILL", &addr3]);
        v3.assert_closed();
        c.expect(&["CLIENT", "KILL", &addr3], err("ERR No such client"));
        // Several filters are ANDed.
        let mut v4 = s.connect();
        let v4_id = v4.cmd(&["CLIENT", "ID"]).int_val().to_string();
        let laddr = format!("127.0.0.1:{}", s.port());
        c.expect(&["CLIENT", "KILL", "ID", &v4_id, "ADDR", &addr3], int(0));
        c.expect(
            &[
                "CLIENT", "KILL", "ID", &v4_id, "LADDR", &laddr, "USER", "default",
            ],
            int(1),
        );
        v4.assert_closed();
        // SKIPME (default yes) protects the caller.
        let my_id = c.cmd(&["CLIENT", "ID"]).int_val().to_string();
        c.expect(&["CLIENT", "KILL", "ID", &my_id], int(0));
        c.expect(&["PING"], status("PONG"));
        // Errors.
        c.expect(
            &["CLIENT", "KILL", "ID", "abc"],
            err("ERR client-id should be greater than 0"),
        );
        c.expect(
            &["CLIENT", "KILL", "ID", "0"],
            err("ERR client-id should be greater than 0"),
        );
        c.expect(&["CLIENT", "KILL", "FOO", "bar"], err(SYNTAX));
        // With a single argument it is the old-style ip:port form.
        c.expect(&["CLIENT", "KILL", "ID"], err("ERR No such client"));
        c.expect(&["CLIENT", "KILL", "SKIPME", "maybe"], err(SYNTAX));
        c.expect(&["CLIENT", "KILL"], err(&arity("client|kill")));
        // Killing oneself with SKIPME no: the reply is still delivered.
        c.expect(&["CLIENT", "KILL", "ID", &my_id, "SKIPME", "no"], int(1));
        c.assert_closed();
        let mut c2 = s.connect();
        c2.expect(&["PING"], status("PONG"));
    });
}

#[test]
fn resp3_reply_types() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        c.ok(&["SET", "a", "1"]);
        c.expect(&["GET", "nokey"], null());
        c.expect(&["MGET", "a", "nokey"], arr(vec![bulk("1"), null()]));
        c.expect(&["SET", "a", "2", "XX", "GET"], bulk("1"));
        c.expect(&["SET", "x", "2", "XX"], null());
        c.expect(&["OBJECT", "ENCODING", "nokey"], null());
        c.expect(&["EXISTS", "a"], int(1));
        c.expect(&["INCRBYFLOAT", "f", "1.5"], bulk("1.5"));
        c.expect(
            &[
                "BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5",
            ],
            arr(vec![null()]),
        );
        c.expect(
            &["CONFIG", "GET", "maxmemory"],
            map(vec![(bulk("maxmemory"), bulk("0"))]),
        );
        let r = c.cmd(&["CONFIG", "GET", "maxmemory*"]);
        match &r {
            Reply::Map(pairs) => {
                assert!(pairs.len() >= 4, "{r:?}");
                assert!(pairs
                    .iter()
                    .any(|(k, v)| *k == bulk("maxmemory-policy") && *v == bulk("noeviction")));
            }
            other => panic!("CONFIG GET in RESP3 is a map, got {other:?}"),
        }
        c.ok(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]);
        c.expect(
            &["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"],
            map(vec![
                (
                    bulk("matches"),
                    arr(vec![arr(vec![ints(&[4, 7]), ints(&[5, 8])])]),
                ),
                (bulk("len"), int(6)),
            ]),
        );
        assert!(matches!(c.cmd(&["INFO", "server"]), Reply::Verbatim(ref f, _) if f == "txt"));
        // COMMAND INFO flags are sets in RESP3.
        let info = c.cmd(&["COMMAND", "INFO", "get"]).array_val();
        let get = info[0].array_val();
        assert_eq!(get[2], set(vec![status("readonly"), status("fast")]));
        c.expect(&["PING"], status("PONG"));
        c.expect(
            &["SCAN", "0", "MATCH", "nomatch"],
            arr(vec![bulk("0"), arr(vec![])]),
        );
        // Back to RESP2.
        c.cmd(&["HELLO", "2"]);
        c.expect(&["CONFIG", "GET", "maxmemory"], bulks(&["maxmemory", "0"]));
        c.expect(&["MGET", "a", "nokey"], arr(vec![bulk("2"), nil()]));
    });
}

#[test]
fn debug_sleep_and_help() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["DEBUG", "SLEEP", "0"]);
        c.ok(&["DEBUG", "SLEEP", "0.01"]);
        let help = c.cmd(&["DEBUG", "HELP"]);
        let lines = help.array_val();
        assert!(lines.len() > 10, "{help:?}");
        assert!(
            lines.iter().all(|l| matches!(l, Reply::Status(_))),
            "{help:?}"
        );
        assert_eq!(
            lines[0],
            status("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
        );
        c.expect(&["DEBUG"], err(&arity("debug")));
        c.expect(
            &["DEBUG", "foo"],
            err("ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP."),
        );
    });
}
