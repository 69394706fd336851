//! The COMMAND DOCS fields beyond summary, since, group and complexity: each command's
//! argument tree, doc flags, deprecation and history, exactly as Redis 7.0 reports them.
//!
//! Every command that has any of these is one row of [`DOCS`]: its full name (`"set"`,
//! `"client|kill"`) and its arguments in the small syntax below, close to Redis's own
//! synopsis, plus optional `.history(..)`, `.doc_flags(..)` and `.deprecated(..)`.
//! Commands with none of them (TIME, CLIENT ID, containers like CONFIG) need no row.
//! The rows are parsed once, at first use.
//!
//! # Argument syntax
//!
//! Arguments are separated by whitespace. Each one is:
//!
//! - `name:type`: `type` is `key`, `string`, `integer`, `double`, `pattern`,
//!   `unix-time` or `pure-token`. The name may contain `:` (`ip:port:string`).
//! - `TOKEN=name:type`: the same, introduced by a token (`EX=seconds:integer`).
//! - `TOKEN`: a pure token, named after its lower-case self (`NX` is `nx`).
//! - `name(a|b|c)`: a oneof of the arguments a, b, c; `name(a b c)`: a block of them.
//!   Also `TOKEN=name(..)`, and `name:oneof(a)` for a oneof of a single argument
//!   (one argument alone is a block).
//! - `[arg]`: `arg` is optional.
//!
//! Suffixes, written right after an argument (after the `)` of a group), by convention
//! in this order: `...` multiple, `+` multiple_token, `@6.2.0` since, `!2.8.12`
//! deprecated_since, `#0` key_spec_index. Without `#n`, key arguments are numbered
//! 0, 1, 2, ... in order of appearance; other arguments have none, except a `pattern`
//! given one with `#n` (SORT's BY and GET patterns name keys).
//!
//! Names and tokens cannot contain whitespace or any of `()[]|=.@!#+`. Long rows are
//! broken with a `\` line continuation after a space or a `|`.
//!
//! Example: `key:key [condition(NX|XX)@2.6.12] [EX=seconds:integer]` is a key
//! (key_spec_index 0), an optional oneof `condition` since 2.6.12 of the pure tokens
//! NX and XX, and an optional integer `seconds` introduced by the token EX.

use crate::protocol::ReplyBuf;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One command's documentation row.
pub struct Doc {
    /// The full name, as in COMMAND LIST: `"set"`, `"client|kill"`.
    pub name: &'static str,
    /// The arguments, in the syntax described at the top of this file.
    args: &'static str,
    /// (version, change) pairs, oldest first.
    history: &'static [(&'static str, &'static str)],
    /// Extra doc flags, space separated (`"syscmd"`); "deprecated" comes from `deprecated`.
    doc_flags: &'static str,
    /// (deprecated_since, replaced_by).
    deprecated: Option<(&'static str, &'static str)>,
}

const fn d(name: &'static str, args: &'static str) -> Doc {
    Doc {
        name,
        args,
        history: &[],
        doc_flags: "",
        deprecated: None,
    }
}

impl Doc {
    const fn history(self, history: &'static [(&'static str, &'static str)]) -> Doc {
        Doc { history, ..self }
    }

    const fn doc_flags(self, doc_flags: &'static str) -> Doc {
        Doc { doc_flags, ..self }
    }

    /// Marks the command deprecated (doc flag "deprecated") since `since`, replaced by
    /// `replaced_by`.
    const fn deprecated(self, since: &'static str, replaced_by: &'static str) -> Doc {
        Doc {
            deprecated: Some((since, replaced_by)),
            ..self
        }
    }
}

/// The table, sorted by name.
#[rustfmt::skip]
pub const DOCS: &[Doc] = &[
    d("append", "key:key value:string"),
    d("auth", "[username:string@6.0.0] password:string")
        .history(&[("6.0.0", "Added ACL style (username and password).")]),
    d("bgsave", "[SCHEDULE@3.2.2]")
        .history(&[("3.2.2", "Added the `SCHEDULE` option.")]),
    d("bitcount", "key:key [index(start:integer end:integer [index_unit(BYTE|BIT)@7.0.0])]")
        .history(&[("7.0.0", "Added the `BYTE|BIT` option.")]),
    d("bitfield", "key:key [operation(GET=encoding_offset(encoding:string offset:integer)|\
        write([OVERFLOW=wrap_sat_fail(WRAP|SAT|FAIL)] \
        write_operation(SET=encoding_offset_value(encoding:string offset:integer value:integer)|\
        INCRBY=encoding_offset_increment(encoding:string offset:integer \
        increment:integer))))...]"),
    d("bitfield_ro", "key:key [GET=encoding_offset(encoding:string offset:integer)...+]"),
    d("bitop", "operation:string destkey:key key:key..."),
    d("bitpos", "key:key bit:integer [index(start:integer [end_index(end:integer \
        [index_unit(BYTE|BIT)@7.0.0])])]")
        .history(&[("7.0.0", "Added the `BYTE|BIT` option.")]),
    d("blmove", "source:key destination:key wherefrom(LEFT|RIGHT) whereto(LEFT|RIGHT) \
        timeout:double"),
    d("blmpop", "timeout:double numkeys:integer key:key... where(LEFT|RIGHT) \
        [COUNT=count:integer]"),
    d("blpop", "key:key... timeout:double")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    d("brpop", "key:key... timeout:double")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    d("brpoplpush", "source:key destination:key timeout:double")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")])
        .deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments"),
    d("bzmpop", "timeout:double numkeys:integer key:key... where(MIN|MAX) [COUNT=count:integer]"),
    d("bzpopmax", "key:key... timeout:double")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    d("bzpopmin", "key:key... timeout:double")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    d("client|caching", "mode(YES|NO)"),
    d("client|kill", "filter(ip:port:string!2.8.12|new-format([ID=client-id:integer@2.8.12]|\
        [TYPE=normal_master_slave_pubsub(NORMAL|MASTER@3.2.0|SLAVE|REPLICA@5.0.0|PUBSUB)@2.8.12]|\
        [USER=username:string]|[ADDR=ip:port:string]|[LADDR=ip:port:string@6.2.0]|\
        [SKIPME=yes/no:string])...)")
        .history(&[
            ("2.8.12", "Added new filter format."),
            ("2.8.12", "`ID` option."),
            ("3.2.0", "Added `master` type in for `TYPE` option."),
            ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for \
                backward compatibility."),
            ("6.2.0", "`LADDR` option."),
        ]),
    d("client|list", "[TYPE=normal_master_replica_pubsub(NORMAL|MASTER|REPLICA|PUBSUB)@5.0.0] \
        [ID=id(client-id:integer...)@6.2.0]")
        .history(&[
            ("2.8.12", "Added unique client `id` field."),
            ("5.0.0", "Added optional `TYPE` filter."),
            ("6.0.0", "Added `user` field."),
            ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the \
                optional `ID` filter."),
            ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."),
            ("7.0.3", "Added `ssub` field."),
        ]),
    d("client|no-evict", "enabled(ON|OFF)"),
    d("client|no-touch", "enabled(ON|OFF)"),
    d("client|pause", "timeout:integer [mode(WRITE|ALL)@6.2.0]")
        .history(&[("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")]),
    d("client|reply", "on_off_skip(ON|OFF|SKIP)"),
    d("client|setname", "connection-name:string"),
    d("client|tracking", "status(ON|OFF) [REDIRECT=client-id:integer] [PREFIX=prefix:string...+] \
        [BCAST] [OPTIN] [OPTOUT] [NOLOOP]"),
    d("client|unblock", "client-id:integer [timeout_error(TIMEOUT|ERROR)]"),
    d("command|docs", "[command-name:string...]"),
    d("command|info", "[command-name:string...]")
        .history(&[
            ("7.0.0", "Allowed to be called with no argument to get info on all commands."),
        ]),
    d("command|list", "[FILTERBY=filterby(MODULE=module-name:string|ACLCAT=category:string|\
        PATTERN=pattern:pattern)]"),
    d("config|get", "parameter(parameter:string)...")
        .history(&[("7.0.0", "Added the ability to pass multiple pattern parameters in one call")]),
    d("config|set", "parameter_value(parameter:string value:string)...")
        .history(&[("7.0.0", "Added the ability to set multiple parameters in one call.")]),
    d("copy", "source:key destination:key [DB=destination-db:integer] [REPLACE]"),
    d("debug", "")
        .doc_flags("syscmd"),
    d("decr", "key:key"),
    d("decrby", "key:key decrement:integer"),
    d("del", "key:key..."),
    d("dump", "key:key"),
    d("echo", "message:string"),
    d("exists", "key:key...")
        .history(&[("3.0.3", "Accepts multiple `key` arguments.")]),
    d("expire", "key:key seconds:integer [condition(NX|XX|GT|LT)@7.0.0]")
        .history(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")]),
    d("expireat", "key:key unix-time-seconds:unix-time [condition(NX|XX|GT|LT)@7.0.0]")
        .history(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")]),
    d("expiretime", "key:key"),
    d("flushall", "[async(ASYNC@4.0.0|SYNC@6.2.0)]")
        .history(&[
            ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
            ("6.2.0", "Added the `SYNC` flushing mode modifier."),
        ]),
    d("flushdb", "[async(ASYNC@4.0.0|SYNC@6.2.0)]")
        .history(&[
            ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
            ("6.2.0", "Added the `SYNC` flushing mode modifier."),
        ]),
    d("geoadd", "key:key [condition(NX|XX)@6.2.0] [CH=change:pure-token@6.2.0] \
        longitude_latitude_member(longitude:double latitude:double member:string)...")
        .history(&[("6.2.0", "Added the `CH`, `NX` and `XX` options.")]),
    d("geodist", "key:key member1:string member2:string [unit(M|KM|FT|MI)]"),
    d("geohash", "key:key member:string..."),
    d("geopos", "key:key member:string..."),
    d("georadius", "key:key longitude:double latitude:double radius:double unit(M|KM|FT|MI) \
        [WITHCOORD] [WITHDIST] [WITHHASH] [count(COUNT=count:integer [ANY@6.2.0])] \
        [order(ASC|DESC)] [STORE=key:key] [STOREDIST=key:key]")
        .history(&[("6.2.0", "Added the `ANY` option for `COUNT`."), ("7.0.0", "Added support for uppercase unit names.")])
        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument"),
    d("georadius_ro", "key:key longitude:double latitude:double radius:double unit(M|KM|FT|MI) \
        [WITHCOORD] [WITHDIST] [WITHHASH] [count(COUNT=count:integer [ANY@6.2.0])] \
        [order(ASC|DESC)]")
        .history(&[("6.2.0", "Added the `ANY` option for `COUNT`.")])
        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument"),
    d("georadiusbymember", "key:key member:string radius:double unit(M|KM|FT|MI) [WITHCOORD] \
        [WITHDIST] [WITHHASH] [count(COUNT=count:integer [ANY])] [order(ASC|DESC)] \
        [STORE=key:key] [STOREDIST=key:key]")
        .history(&[("7.0.0", "Added support for uppercase unit names.")])
        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments"),
    d("georadiusbymember_ro", "key:key member:string radius:double unit(M|KM|FT|MI) [WITHCOORD] \
        [WITHDIST] [WITHHASH] [count(COUNT=count:integer [ANY])] [order(ASC|DESC)]")
        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments"),
    d("geosearch", "key:key from(FROMMEMBER=member:string|\
        FROMLONLAT=longitude_latitude(longitude:double latitude:double)) \
        by(circle(BYRADIUS=radius:double unit(M|KM|FT|MI))|\
        box(BYBOX=width:double height:double unit(M|KM|FT|MI))) [order(ASC|DESC)] \
        [count(COUNT=count:integer [ANY])] [WITHCOORD] [WITHDIST] [WITHHASH]")
        .history(&[("7.0.0", "Added support for uppercase unit names.")]),
    d("geosearchstore", "destination:key source:key from(FROMMEMBER=member:string|\
        FROMLONLAT=longitude_latitude(longitude:double latitude:double)) \
        by(circle(BYRADIUS=radius:double unit(M|KM|FT|MI))|\
        box(BYBOX=width:double height:double unit(M|KM|FT|MI))) [order(ASC|DESC)] \
        [count(COUNT=count:integer [ANY])] [STOREDIST]")
        .history(&[("7.0.0", "Added support for uppercase unit names.")]),
    d("get", "key:key"),
    d("getbit", "key:key offset:integer"),
    d("getdel", "key:key"),
    d("getex", "key:key [expiration(EX=seconds:integer|PX=milliseconds:integer|\
        EXAT=unix-time-seconds:unix-time|PXAT=unix-time-milliseconds:unix-time|PERSIST)]"),
    d("getrange", "key:key start:integer end:integer"),
    d("getset", "key:key value:string")
        .deprecated("6.2.0", "`SET` with the `!GET` argument"),
    d("hdel", "key:key field:string...")
        .history(&[("2.4.0", "Accepts multiple `field` arguments.")]),
    d("hello", "[arguments(protover:integer [AUTH=username_password(username:string \
        password:string)] [SETNAME=clientname:string])]")
        .history(&[
            ("6.2.0", "`protover` made optional; when called without arguments the command \
                reports the current connection's context."),
        ]),
    d("hexists", "key:key field:string"),
    d("hget", "key:key field:string"),
    d("hgetall", "key:key"),
    d("hincrby", "key:key field:string increment:integer"),
    d("hincrbyfloat", "key:key field:string increment:double"),
    d("hkeys", "key:key"),
    d("hlen", "key:key"),
    d("hmget", "key:key field:string..."),
    d("hmset", "key:key field_value(field:string value:string)...")
        .deprecated("4.0.0", "`HSET` with multiple field-value pairs"),
    d("hrandfield", "key:key [options(count:integer [WITHVALUES])]"),
    d("hscan", "key:key cursor:integer [MATCH=pattern:pattern] [COUNT=count:integer]"),
    d("hset", "key:key field_value(field:string value:string)...")
        .history(&[("4.0.0", "Accepts multiple `field` and `value` arguments.")]),
    d("hsetnx", "key:key field:string value:string"),
    d("hstrlen", "key:key field:string"),
    d("hvals", "key:key"),
    d("incr", "key:key"),
    d("incrby", "key:key increment:integer"),
    d("incrbyfloat", "key:key increment:double"),
    d("info", "[section:string...]")
        .history(&[("7.0.0", "Added support for taking multiple section arguments.")]),
    d("keys", "pattern:pattern"),
    d("latency|graph", "event:string"),
    d("latency|histogram", "[command:string...]"),
    d("latency|history", "event:string"),
    d("latency|reset", "[event:string...]"),
    d("lcs", "key1:key key2:key#0 [LEN] [IDX] [MINMATCHLEN=len:integer] [WITHMATCHLEN]"),
    d("lindex", "key:key index:integer"),
    d("linsert", "key:key where(BEFORE|AFTER) pivot:string element:string"),
    d("llen", "key:key"),
    d("lmove", "source:key destination:key wherefrom(LEFT|RIGHT) whereto(LEFT|RIGHT)"),
    d("lmpop", "numkeys:integer key:key... where(LEFT|RIGHT) [COUNT=count:integer]"),
    d("lpop", "key:key [count:integer@6.2.0]")
        .history(&[("6.2.0", "Added the `count` argument.")]),
    d("lpos", "key:key element:string [RANK=rank:integer] [COUNT=num-matches:integer] \
        [MAXLEN=len:integer]"),
    d("lpush", "key:key element:string...")
        .history(&[("2.4.0", "Accepts multiple `element` arguments.")]),
    d("lpushx", "key:key element:string...")
        .history(&[("4.0.0", "Accepts multiple `element` arguments.")]),
    d("lrange", "key:key start:integer stop:integer"),
    d("lrem", "key:key count:integer element:string"),
    d("lset", "key:key index:integer element:string"),
    d("ltrim", "key:key start:integer stop:integer"),
    d("mget", "key:key..."),
    d("move", "key:key db:integer"),
    d("mset", "key_value(key:key value:string)..."),
    d("msetnx", "key_value(key:key value:string)..."),
    d("object|encoding", "key:key"),
    d("object|freq", "key:key"),
    d("object|idletime", "key:key"),
    d("object|refcount", "key:key"),
    d("persist", "key:key"),
    d("pexpire", "key:key milliseconds:integer [condition(NX|XX|GT|LT)@7.0.0]")
        .history(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")]),
    d("pexpireat", "key:key unix-time-milliseconds:unix-time [condition(NX|XX|GT|LT)@7.0.0]")
        .history(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")]),
    d("pexpiretime", "key:key"),
    d("pfadd", "key:key [element:string...]"),
    d("pfcount", "key:key..."),
    d("pfdebug", "subcommand:string key:key")
        .doc_flags("syscmd"),
    d("pfmerge", "destkey:key sourcekey:key..."),
    d("pfselftest", "")
        .doc_flags("syscmd"),
    d("ping", "[message:string]"),
    d("psetex", "key:key milliseconds:integer value:string"),
    d("psubscribe", "pattern(pattern:pattern)..."),
    d("pttl", "key:key")
        .history(&[("2.8.0", "Added the -2 reply.")]),
    d("publish", "channel:string message:string"),
    d("pubsub|channels", "[pattern:pattern]"),
    d("pubsub|numsub", "[channel:string...]"),
    d("pubsub|shardchannels", "[pattern:pattern]"),
    d("pubsub|shardnumsub", "[shardchannel:string...]"),
    d("punsubscribe", "[pattern:pattern...]"),
    d("rename", "key:key newkey:key"),
    d("renamenx", "key:key newkey:key")
        .history(&[
            ("3.2.0", "The command no longer returns an error when source and destination \
                names are the same."),
        ]),
    d("restore", "key:key ttl:integer serialized-value:string [REPLACE@3.0.0] [ABSTTL@5.0.0] \
        [IDLETIME=seconds:integer@5.0.0] [FREQ=frequency:integer@5.0.0]")
        .history(&[("3.0.0", "Added the `REPLACE` modifier."), ("5.0.0", "Added the `ABSTTL` modifier."), ("5.0.0", "Added the `IDLETIME` and `FREQ` options.")]),
    d("rpop", "key:key [count:integer@6.2.0]")
        .history(&[("6.2.0", "Added the `count` argument.")]),
    d("rpoplpush", "source:key destination:key")
        .deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments"),
    d("rpush", "key:key element:string...")
        .history(&[("2.4.0", "Accepts multiple `element` arguments.")]),
    d("rpushx", "key:key element:string...")
        .history(&[("4.0.0", "Accepts multiple `element` arguments.")]),
    d("sadd", "key:key member:string...")
        .history(&[("2.4.0", "Accepts multiple `member` arguments.")]),
    d("scan", "cursor:integer [MATCH=pattern:pattern] [COUNT=count:integer] \
        [TYPE=type:string@6.0.0]")
        .history(&[("6.0.0", "Added the `TYPE` subcommand.")]),
    d("scard", "key:key"),
    d("sdiff", "key:key..."),
    d("sdiffstore", "destination:key key:key..."),
    d("select", "index:integer"),
    d("set", "key:key value:string [condition(NX|XX)@2.6.12] [GET@6.2.0] \
        [expiration(EX=seconds:integer@2.6.12|PX=milliseconds:integer@2.6.12|\
        EXAT=unix-time-seconds:unix-time@6.2.0|PXAT=unix-time-milliseconds:unix-time@6.2.0|\
        KEEPTTL@6.0.0)]")
        .history(&[
            ("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."),
            ("6.0.0", "Added the `KEEPTTL` option."),
            ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."),
            ("7.0.0", "Allowed the `NX` and `GET` options to be used together."),
        ]),
    d("setbit", "key:key offset:integer value:integer"),
    d("setex", "key:key seconds:integer value:string"),
    d("setnx", "key:key value:string"),
    d("setrange", "key:key offset:integer value:string"),
    d("shutdown", "[nosave_save(NOSAVE|SAVE)] [NOW@7.0.0] [FORCE@7.0.0] [ABORT@7.0.0]")
        .history(&[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")]),
    d("sinter", "key:key..."),
    d("sintercard", "numkeys:integer key:key... [LIMIT=limit:integer]"),
    d("sinterstore", "destination:key key:key..."),
    d("sismember", "key:key member:string"),
    d("slowlog|get", "[count:integer]")
        .history(&[("4.0.0", "Added client IP address, port and name to the reply.")]),
    d("smembers", "key:key"),
    d("smismember", "key:key member:string..."),
    d("smove", "source:key destination:key member:string"),
    d("sort", "key:key [BY=pattern:pattern#1] [LIMIT=offset_count(offset:integer count:integer)] \
        [GET=pattern:pattern...+#1] [order(ASC|DESC)] [ALPHA=sorting:pure-token] \
        [STORE=destination:key#2]"),
    d("sort_ro", "key:key [BY=pattern:pattern#1] [LIMIT=offset_count(offset:integer \
        count:integer)] [GET=pattern:pattern...+#1] [order(ASC|DESC)] [ALPHA=sorting:pure-token]"),
    d("spop", "key:key [count:integer@3.2.0]")
        .history(&[("3.2.0", "Added the `count` argument.")]),
    d("spublish", "shardchannel:string message:string"),
    d("srandmember", "key:key [count:integer@2.6.0]")
        .history(&[("2.6.0", "Added the optional `count` argument.")]),
    d("srem", "key:key member:string...")
        .history(&[("2.4.0", "Accepts multiple `member` arguments.")]),
    d("sscan", "key:key cursor:integer [MATCH=pattern:pattern] [COUNT=count:integer]"),
    d("ssubscribe", "shardchannel:string..."),
    d("strlen", "key:key"),
    d("subscribe", "channel:string..."),
    d("substr", "key:key start:integer end:integer")
        .deprecated("2.0.0", "`GETRANGE`"),
    d("sunion", "key:key..."),
    d("sunionstore", "destination:key key:key..."),
    d("sunsubscribe", "[shardchannel:string...]"),
    d("swapdb", "index1:integer index2:integer"),
    d("touch", "key:key..."),
    d("ttl", "key:key")
        .history(&[("2.8.0", "Added the -2 reply.")]),
    d("type", "key:key"),
    d("unlink", "key:key..."),
    d("unsubscribe", "[channel:string...]"),
    d("wait", "numreplicas:integer timeout:integer"),
    d("watch", "key:key..."),
    d("xack", "key:key group:string id:string..."),
    d("xadd", "key:key [NOMKSTREAM@6.2.0] [trim(strategy(MAXLEN|MINID@6.2.0) \
        [operator(==equal:pure-token|~=approximately:pure-token)] threshold:string \
        [LIMIT=count:integer@6.2.0])] id_or_auto(*=auto_id:pure-token|id:string) \
        field_value(field:string value:string)...")
        .history(&[("6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."), ("7.0.0", "Added support for the `<ms>-*` explicit ID form.")]),
    d("xautoclaim", "key:key group:string consumer:string min-idle-time:string start:string \
        [COUNT=count:integer] [JUSTID]")
        .history(&[("7.0.0", "Added an element to the reply array, containing deleted entries the command cleared from the PEL")]),
    d("xclaim", "key:key group:string consumer:string min-idle-time:string id:string... \
        [IDLE=ms:integer] [TIME=unix-time-milliseconds:unix-time] [RETRYCOUNT=count:integer] \
        [FORCE] [JUSTID] [LASTID=id:string]"),
    d("xdel", "key:key id:string..."),
    d("xgroup|create", "key:key groupname:string id(id:string|$=new_id:pure-token) [MKSTREAM] \
        [ENTRIESREAD=entries_read:integer]")
        .history(&[("7.0.0", "Added the `entries_read` named argument.")]),
    d("xgroup|createconsumer", "key:key groupname:string consumername:string"),
    d("xgroup|delconsumer", "key:key groupname:string consumername:string"),
    d("xgroup|destroy", "key:key groupname:string"),
    d("xgroup|setid", "key:key groupname:string id(id:string|$=new_id:pure-token) \
        [ENTRIESREAD=entries_read:integer]")
        .history(&[("7.0.0", "Added the optional `entries_read` argument.")]),
    d("xinfo|consumers", "key:key groupname:string"),
    d("xinfo|groups", "key:key")
        .history(&[("7.0.0", "Added the `entries-read` and `lag` fields")]),
    d("xinfo|stream", "key:key [FULL=full([COUNT=count:integer])]")
        .history(&[("6.0.0", "Added the `FULL` modifier."), ("7.0.0", "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields")]),
    d("xlen", "key:key"),
    d("xpending", "key:key group:string [filters([IDLE=min-idle-time:integer@6.2.0] start:string \
        end:string count:integer [consumer:string])]")
        .history(&[("6.2.0", "Added the `IDLE` option and exclusive range intervals.")]),
    d("xrange", "key:key start:string end:string [COUNT=count:integer]")
        .history(&[("6.2.0", "Added exclusive ranges.")]),
    d("xread", "[COUNT=count:integer] [BLOCK=milliseconds:integer] STREAMS=streams(key:key... id:string...)"),
    d("xreadgroup", "GROUP=group_consumer(group:string consumer:string) [COUNT=count:integer] \
        [BLOCK=milliseconds:integer] [NOACK] STREAMS=streams(key:key... id:string...)"),
    d("xrevrange", "key:key end:string start:string [COUNT=count:integer]")
        .history(&[("6.2.0", "Added exclusive ranges.")]),
    d("xsetid", "key:key last-id:string [ENTRIESADDED=entries_added:integer@7.0.0] \
        [MAXDELETEDID=max_deleted_entry_id:string@7.0.0]")
        .history(&[("7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments.")]),
    d("xtrim", "key:key trim(strategy(MAXLEN|MINID@6.2.0) \
        [operator(==equal:pure-token|~=approximately:pure-token)] threshold:string \
        [LIMIT=count:integer@6.2.0])")
        .history(&[("6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option.")]),
    d("zadd", "key:key [condition(NX|XX)@3.0.2] [comparison(GT|LT)@6.2.0] [CH=change:pure-token@3.0.2] [INCR=increment:pure-token@3.0.2] score_member(score:double member:string)...")
        .history(&[("2.4.0", "Accepts multiple elements."), ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."), ("6.2.0", "Added the `GT` and `LT` options.")]),
    d("zcard", "key:key"),
    d("zcount", "key:key min:double max:double"),
    d("zdiff", "numkeys:integer key:key... [WITHSCORES]"),
    d("zdiffstore", "destination:key numkeys:integer key:key..."),
    d("zincrby", "key:key increment:integer member:string"),
    d("zinter", "numkeys:integer key:key... [WEIGHTS=weight:integer...] [AGGREGATE=aggregate(SUM|MIN|MAX)] [WITHSCORES]"),
    d("zintercard", "numkeys:integer key:key... [LIMIT=limit:integer]"),
    d("zinterstore", "destination:key numkeys:integer key:key... [WEIGHTS=weight:integer...] [AGGREGATE=aggregate(SUM|MIN|MAX)]"),
    d("zlexcount", "key:key min:string max:string"),
    d("zmpop", "numkeys:integer key:key... where(MIN|MAX) [COUNT=count:integer]"),
    d("zmscore", "key:key member:string..."),
    d("zpopmax", "key:key [count:integer]"),
    d("zpopmin", "key:key [count:integer]"),
    d("zrandmember", "key:key [options(count:integer [WITHSCORES])]"),
    d("zrange", "key:key start:string stop:string [sortby(BYSCORE|BYLEX)@6.2.0] [REV@6.2.0] [LIMIT=offset_count(offset:integer count:integer)@6.2.0] [WITHSCORES]")
        .history(&[("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")]),
    d("zrangebylex", "key:key min:string max:string [LIMIT=offset_count(offset:integer count:integer)]")
        .deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument"),
    d("zrangebyscore", "key:key min:double max:double [WITHSCORES@2.0.0] [LIMIT=offset_count(offset:integer count:integer)]")
        .history(&[("2.0.0", "Added the `WITHSCORES` modifier.")])
        .deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument"),
    d("zrangestore", "dst:key src:key min:string max:string [sortby(BYSCORE|BYLEX)] [REV] [LIMIT=offset_count(offset:integer count:integer)]"),
    d("zrank", "key:key member:string"),
    d("zrem", "key:key member:string...")
        .history(&[("2.4.0", "Accepts multiple elements.")]),
    d("zremrangebylex", "key:key min:string max:string"),
    d("zremrangebyrank", "key:key start:integer stop:integer"),
    d("zremrangebyscore", "key:key min:double max:double"),
    d("zrevrange", "key:key start:integer stop:integer [WITHSCORES]")
        .deprecated("6.2.0", "`ZRANGE` with the `REV` argument"),
    d("zrevrangebylex", "key:key max:string min:string [LIMIT=offset_count(offset:integer count:integer)]")
        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments"),
    d("zrevrangebyscore", "key:key max:double min:double [WITHSCORES] [LIMIT=offset_count(offset:integer count:integer)]")
        .history(&[("2.1.6", "`min` and `max` can be exclusive.")])
        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments"),
    d("zrevrank", "key:key member:string"),
    d("zscan", "key:key cursor:integer [MATCH=pattern:pattern] [COUNT=count:integer]"),
    d("zscore", "key:key member:string"),
    d("zunion", "numkeys:integer key:key... [WEIGHTS=weight:integer...] [AGGREGATE=aggregate(SUM|MIN|MAX)] [WITHSCORES]"),
    d("zunionstore", "destination:key numkeys:integer key:key... [WEIGHTS=weight:integer...] [AGGREGATE=aggregate(SUM|MIN|MAX)]"),
];

/// One parsed argument.
#[derive(Debug, Default)]
struct Arg {
    name: String,
    kind: &'static str,
    token: Option<&'static str>,
    since: Option<&'static str>,
    deprecated_since: Option<&'static str>,
    key_spec_index: Option<u32>,
    optional: bool,
    multiple: bool,
    multiple_token: bool,
    /// The members of a oneof or block.
    args: Vec<Arg>,
}

const TYPES: &[&str] = &[
    "string",
    "integer",
    "double",
    "key",
    "pattern",
    "unix-time",
    "pure-token",
    "oneof",
    "block",
];

/// Characters that end a name or token.
fn is_delim(c: u8) -> bool {
    c.is_ascii_whitespace() || b"()[]|".contains(&c)
}

struct Parser {
    s: &'static str,
    pos: usize,
    /// Key arguments seen so far: the next key's default key_spec_index.
    keys: u32,
}

impl Parser {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.pos += usize::from(hit);
        hit
    }

    /// Skips whitespace; whether there was any.
    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at {} in {:?}", self.pos, self.s))
    }

    /// The run of characters up to the next delimiter.
    fn word(&mut self) -> &'static str {
        let start = self.pos;
        while self.peek().is_some_and(|c| !is_delim(c)) {
            self.pos += 1;
        }
        &self.s[start..self.pos]
    }

    /// Arguments up to `close` (or the end of input when `None`), and whether they were
    /// separated by `|` (a oneof) rather than whitespace (a block).
    fn list(&mut self, close: Option<u8>) -> Result<(Vec<Arg>, bool), String> {
        let mut args = Vec::new();
        let mut bars: Option<bool> = None;
        loop {
            let ws = self.skip_ws();
            if self.peek() == close {
                self.pos += usize::from(close.is_some());
                return Ok((args, bars == Some(true)));
            }
            if self.peek().is_none() {
                return self.fail("unclosed group");
            }
            if !args.is_empty() {
                let bar = self.eat(b'|');
                if !bar && !ws {
                    return self.fail("missing separator");
                }
                if bars.is_some_and(|b| b != bar) {
                    return self.fail("mixed '|' and ' '");
                }
                bars = Some(bar);
                self.skip_ws();
            }
            args.push(self.arg()?);
        }
    }

    fn arg(&mut self) -> Result<Arg, String> {
        if self.eat(b'[') {
            let mut a = self.arg()?;
            if !self.eat(b']') {
                return self.fail("expected ']'");
            }
            a.optional = true;
            return Ok(a);
        }
        let word = self.word();
        let mut a = Arg::default();
        let suffixes;
        if self.eat(b'(') {
            let (head, kind) = word.rsplit_once(':').unwrap_or((word, ""));
            let (args, oneof) = self.list(Some(b')'))?;
            a.kind = match (kind, oneof) {
                ("" | "oneof", true) => "oneof",
                ("" | "block", false) if !args.is_empty() => "block",
                ("oneof", false) if args.len() == 1 => "oneof",
                // Also catches a misplaced `name:type(`: group names have no ':'.
                _ => return self.fail("bad group"),
            };
            (a.token, a.name) = split_token(head);
            a.args = args;
            suffixes = self.word();
        } else {
            let cut = word.find(|c| ".@!#+".contains(c)).unwrap_or(word.len());
            let (head, rest) = word.split_at(cut);
            suffixes = rest;
            match head.rsplit_once(':') {
                Some((head, kind)) => {
                    a.kind = match TYPES.iter().find(|t| **t == kind) {
                        Some(t) if *t != "oneof" && *t != "block" => t,
                        _ => return self.fail("bad type"),
                    };
                    (a.token, a.name) = split_token(head);
                    if a.kind == "pure-token" && a.token.is_none() {
                        return self.fail("pure-token without a token");
                    }
                }
                None => {
                    a.kind = "pure-token";
                    a.token = Some(head);
                    a.name = head.to_ascii_lowercase();
                }
            }
        }
        if a.name.is_empty() || a.token == Some("") || a.name.contains('=') {
            return self.fail("bad name or token");
        }
        self.suffixes(&mut a, suffixes)?;
        if a.kind == "key" {
            a.key_spec_index.get_or_insert(self.keys);
            self.keys += 1;
        } else if a.key_spec_index.is_some() && a.kind != "pattern" {
            // (SORT's BY/GET patterns name keys, and carry a key_spec_index.)
            return self.fail("key_spec_index on a non-key");
        }
        Ok(a)
    }

    fn suffixes(&self, a: &mut Arg, mut s: &'static str) -> Result<(), String> {
        while !s.is_empty() {
            if let Some(rest) = s.strip_prefix("...") {
                a.multiple = true;
                s = rest;
            } else if let Some(rest) = s.strip_prefix('+') {
                a.multiple_token = true;
                s = rest;
            } else if let Some(rest) = s.strip_prefix(['@', '!', '#']) {
                // A version: digits and dots, a dot only before a digit.
                let b = rest.as_bytes();
                let mut n = 0;
                while n < b.len()
                    && (b[n].is_ascii_digit()
                        || (b[n] == b'.' && b.get(n + 1).is_some_and(u8::is_ascii_digit)))
                {
                    n += 1;
                }
                let value = &rest[..n];
                if value.is_empty() {
                    return self.fail("empty suffix value");
                }
                match s.as_bytes()[0] {
                    b'@' => a.since = Some(value),
                    b'!' => a.deprecated_since = Some(value),
                    _ => {
                        a.key_spec_index = Some(value.parse().or_else(|_| self.fail("bad index"))?)
                    }
                }
                s = &rest[n..];
            } else {
                return self.fail("bad suffix");
            }
        }
        Ok(())
    }
}

/// `TOKEN=name` or `name`.
fn split_token(head: &'static str) -> (Option<&'static str>, String) {
    match head.rsplit_once('=') {
        Some((token, name)) => (Some(token), name.to_string()),
        None => (None, head.to_string()),
    }
}

fn parse_args(s: &'static str) -> Result<Vec<Arg>, String> {
    let mut p = Parser { s, pos: 0, keys: 0 };
    match p.list(None)? {
        (_, true) => p.fail("'|' outside a group"),
        (args, false) => Ok(args),
    }
}

struct Parsed {
    doc: &'static Doc,
    args: Vec<Arg>,
}

fn table() -> &'static HashMap<&'static str, Parsed> {
    static TABLE: OnceLock<HashMap<&'static str, Parsed>> = OnceLock::new();
    TABLE.get_or_init(|| {
        DOCS.iter()
            .map(|doc| {
                let args = parse_args(doc.args).unwrap_or_else(|e| {
                    log::error!("COMMAND DOCS table, {}: {e}", doc.name);
                    Vec::new()
                });
                (doc.name, Parsed { doc, args })
            })
            .collect()
    })
}

/// How many entries [`write_extra_fields`] adds to the COMMAND DOCS map of `fullname`.
pub fn extra_fields(fullname: &str) -> usize {
    table().get(fullname).map_or(0, |p| {
        let flags = p.doc.deprecated.is_some() || !p.doc.doc_flags.is_empty();
        usize::from(flags)
            + 2 * usize::from(p.doc.deprecated.is_some())
            + usize::from(!p.doc.history.is_empty())
            + usize::from(!p.args.is_empty())
    })
}

/// Writes the `doc_flags`, `deprecated_since`, `replaced_by`, `history` and `arguments`
/// entries of `fullname`'s COMMAND DOCS map (those it has, in Redis's order: after
/// `complexity`, before `subcommands`).
pub fn write_extra_fields(out: &mut ReplyBuf, fullname: &str) {
    let Some(p) = table().get(fullname) else {
        return;
    };
    let doc = p.doc;
    if doc.deprecated.is_some() || !doc.doc_flags.is_empty() {
        let flags: Vec<&str> = doc
            .deprecated
            .map(|_| "deprecated")
            .into_iter()
            .chain(doc.doc_flags.split_whitespace())
            .collect();
        out.bulk(b"doc_flags");
        out.set(flags.len());
        for f in flags {
            out.status(f);
        }
    }
    if let Some((since, replaced_by)) = doc.deprecated {
        out.bulk(b"deprecated_since");
        out.bulk(since.as_bytes());
        out.bulk(b"replaced_by");
        out.bulk(replaced_by.as_bytes());
    }
    if !doc.history.is_empty() {
        out.bulk(b"history");
        out.set(doc.history.len());
        for (version, change) in doc.history {
            out.array(2);
            out.bulk(version.as_bytes());
            out.bulk(change.as_bytes());
        }
    }
    if !p.args.is_empty() {
        out.bulk(b"arguments");
        write_args(out, &p.args);
    }
}

fn write_args(out: &mut ReplyBuf, args: &[Arg]) {
    out.array(args.len());
    for a in args {
        let flags: Vec<&str> = [
            (a.optional, "optional"),
            (a.multiple, "multiple"),
            (a.multiple_token, "multiple_token"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        out.map(
            2 + usize::from(a.key_spec_index.is_some())
                + usize::from(a.token.is_some())
                + usize::from(a.since.is_some())
                + usize::from(a.deprecated_since.is_some())
                + usize::from(!flags.is_empty())
                + usize::from(!a.args.is_empty()),
        );
        out.bulk(b"name");
        out.bulk(a.name.as_bytes());
        out.bulk(b"type");
        out.bulk(a.kind.as_bytes());
        if let Some(i) = a.key_spec_index {
            out.bulk(b"key_spec_index");
            out.int(i64::from(i));
        }
        for (field, value) in [
            ("token", a.token),
            ("since", a.since),
            ("deprecated_since", a.deprecated_since),
        ] {
            if let Some(v) = value {
                out.bulk(field.as_bytes());
                out.bulk(v.as_bytes());
            }
        }
        if !flags.is_empty() {
            out.bulk(b"flags");
            out.set(flags.len());
            for f in flags {
                out.status(f);
            }
        }
        if !a.args.is_empty() {
            out.bulk(b"arguments");
            write_args(out, &a.args);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders a reply compactly: maps `{k: v}`, arrays `[a, b]`, sets `~[a]`, bulk
    /// strings bare, simple strings `+s`, integers `:n`.
    fn render(b: &[u8], pos: &mut usize) -> String {
        let end = *pos + b[*pos..].windows(2).position(|w| w == b"\r\n").unwrap();
        let (kind, head) = (b[*pos], std::str::from_utf8(&b[*pos + 1..end]).unwrap());
        *pos = end + 2;
        let n: usize = if b"*%~$".contains(&kind) {
            head.parse().unwrap()
        } else {
            0
        };
        let items = |pos: &mut usize, count| -> Vec<String> {
            (0..count).map(|_| render(b, pos)).collect()
        };
        match kind {
            b'$' => {
                let s = std::str::from_utf8(&b[*pos..*pos + n]).unwrap().to_string();
                *pos += n + 2;
                s
            }
            b'+' => format!("+{head}"),
            b':' => format!(":{head}"),
            b'*' => format!("[{}]", items(pos, n).join(", ")),
            b'~' => format!("~[{}]", items(pos, n).join(", ")),
            b'%' => {
                let kv = items(pos, 2 * n);
                let pairs: Vec<String> = kv
                    .chunks(2)
                    .map(|p| format!("{}: {}", p[0], p[1]))
                    .collect();
                format!("{{{}}}", pairs.join(", "))
            }
            _ => panic!("unexpected reply type {}", kind as char),
        }
    }

    fn extra(fullname: &str, resp: u8) -> String {
        let mut out = ReplyBuf::new();
        out.resp = resp;
        out.map(extra_fields(fullname));
        write_extra_fields(&mut out, fullname);
        let mut pos = 0;
        let s = render(&out.buf, &mut pos);
        assert_eq!(pos, out.buf.len(), "{fullname}: trailing bytes");
        s
    }

    #[test]
    fn every_row_parses() {
        for (i, doc) in DOCS.iter().enumerate() {
            if let Err(e) = parse_args(doc.args) {
                panic!("{}: {e}", doc.name);
            }
            if i > 0 {
                assert!(
                    DOCS[i - 1].name < doc.name,
                    "{} out of order or repeated",
                    doc.name
                );
            }
            assert_eq!(doc.name, doc.name.to_ascii_lowercase());
            assert!(
                doc.doc_flags.split_whitespace().all(|f| f == "syscmd"),
                "{}",
                doc.name
            );
        }
        assert_eq!(table().len(), DOCS.len());
    }

    #[test]
    fn rejects_malformed_syntax() {
        for bad in [
            "[a:string",
            "a:string]",
            "a:bogus",
            "a:oneof",
            "x(a:string|b:string c:string)",
            "x:block(a:string|b:string)",
            "x:oneof(a:string b:string)",
            "x()",
            "x(a:string",
            "a:string|b:string",
            "a:string(b:string)",
            "=a:string",
            "T=:string",
            "n:pure-token",
            "a:string#1",
            "a:string@",
            "a:string%",
        ] {
            assert!(parse_args(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn parses_the_syntax() {
        let a =
            parse_args("k:key [T=x:oneof(A)] ip:port:string...+@1.0!2.0 l(m:key#5 n:key)").unwrap();
        assert_eq!(a.len(), 4);
        assert_eq!(
            (a[0].name.as_str(), a[0].kind, a[0].key_spec_index),
            ("k", "key", Some(0))
        );
        let x = &a[1];
        assert_eq!(
            (x.name.as_str(), x.kind, x.token, x.optional),
            ("x", "oneof", Some("T"), true)
        );
        assert_eq!(
            (x.args[0].name.as_str(), x.args[0].kind),
            ("a", "pure-token")
        );
        let ip = &a[2];
        assert_eq!(
            (ip.name.as_str(), ip.kind, ip.multiple, ip.multiple_token),
            ("ip:port", "string", true, true)
        );
        assert_eq!((ip.since, ip.deprecated_since), (Some("1.0"), Some("2.0")));
        assert_eq!(a[3].kind, "block");
        assert_eq!(
            (a[3].args[0].key_spec_index, a[3].args[1].key_spec_index),
            (Some(5), Some(2))
        );
        assert_eq!(extra_fields("no-such-command"), 0);
    }

    /// Expected replies, as Redis 7.0.15 gives them (COMMAND DOCS, the same entries).
    #[test]
    fn matches_redis() {
        for (resp, name, want) in [
            (
                3,
                "set",
                "{history: ~[[2.6.12, Added the `EX`, `PX`, `NX` and `XX` options.], \
            [6.0.0, Added the `KEEPTTL` option.], [6.2.0, Added the `GET`, `EXAT` and `PXAT` \
            option.], [7.0.0, Allowed the `NX` and `GET` options to be used together.]], \
            arguments: [{name: key, type: key, key_spec_index: :0}, {name: value, type: string}, \
            {name: condition, type: oneof, since: 2.6.12, flags: ~[+optional], arguments: [{name: \
            nx, type: pure-token, token: NX}, {name: xx, type: pure-token, token: XX}]}, {name: \
            get, type: pure-token, token: GET, since: 6.2.0, flags: ~[+optional]}, {name: \
            expiration, type: oneof, flags: ~[+optional], arguments: [{name: seconds, type: \
            integer, token: EX, since: 2.6.12}, {name: milliseconds, type: integer, token: PX, \
            since: 2.6.12}, {name: unix-time-seconds, type: unix-time, token: EXAT, since: 6.2.0}, \
            {name: unix-time-milliseconds, type: unix-time, token: PXAT, since: 6.2.0}, {name: \
            keepttl, type: pure-token, token: KEEPTTL, since: 6.0.0}]}]}",
            ),
            (
                3,
                "getset",
                "{doc_flags: ~[+deprecated], deprecated_since: 6.2.0, replaced_by: `SET` \
            with the `!GET` argument, arguments: [{name: key, type: key, key_spec_index: :0}, \
            {name: value, type: string}]}",
            ),
            (
                3,
                "lcs",
                "{arguments: [{name: key1, type: key, key_spec_index: :0}, {name: key2, \
            type: key, key_spec_index: :0}, {name: len, type: pure-token, token: LEN, flags: \
            ~[+optional]}, {name: idx, type: pure-token, token: IDX, flags: ~[+optional]}, {name: \
            len, type: integer, token: MINMATCHLEN, flags: ~[+optional]}, {name: withmatchlen, \
            type: pure-token, token: WITHMATCHLEN, flags: ~[+optional]}]}",
            ),
            (3, "debug", "{doc_flags: ~[+syscmd]}"),
            (
                3,
                "config|get",
                "{history: ~[[7.0.0, Added the ability to pass multiple pattern \
            parameters in one call]], arguments: [{name: parameter, type: block, flags: \
            ~[+multiple], arguments: [{name: parameter, type: string}]}]}",
            ),
            (
                3,
                "bitfield",
                "{arguments: [{name: key, type: key, key_spec_index: :0}, {name: \
            operation, type: oneof, flags: ~[+optional, +multiple], arguments: [{name: \
            encoding_offset, type: block, token: GET, arguments: [{name: encoding, type: string}, \
            {name: offset, type: integer}]}, {name: write, type: block, arguments: [{name: \
            wrap_sat_fail, type: oneof, token: OVERFLOW, flags: ~[+optional], arguments: [{name: \
            wrap, type: pure-token, token: WRAP}, {name: sat, type: pure-token, token: SAT}, \
            {name: fail, type: pure-token, token: FAIL}]}, {name: write_operation, type: oneof, \
            arguments: [{name: encoding_offset_value, type: block, token: SET, arguments: [{name: \
            encoding, type: string}, {name: offset, type: integer}, {name: value, type: \
            integer}]}, {name: encoding_offset_increment, type: block, token: INCRBY, arguments: \
            [{name: encoding, type: string}, {name: offset, type: integer}, {name: increment, \
            type: integer}]}]}]}]}]}",
            ),
            (
                3,
                "client|kill",
                "{history: ~[[2.8.12, Added new filter format.], [2.8.12, `ID` \
            option.], [3.2.0, Added `master` type in for `TYPE` option.], [5.0.0, Replaced `slave` \
            `TYPE` with `replica`. `slave` still supported for backward compatibility.], [6.2.0, \
            `LADDR` option.]], arguments: [{name: filter, type: oneof, arguments: [{name: ip:port, \
            type: string, deprecated_since: 2.8.12}, {name: new-format, type: oneof, flags: \
            ~[+multiple], arguments: [{name: client-id, type: integer, token: ID, since: 2.8.12, \
            flags: ~[+optional]}, {name: normal_master_slave_pubsub, type: oneof, token: TYPE, \
            since: 2.8.12, flags: ~[+optional], arguments: [{name: normal, type: pure-token, \
            token: NORMAL}, {name: master, type: pure-token, token: MASTER, since: 3.2.0}, {name: \
            slave, type: pure-token, token: SLAVE}, {name: replica, type: pure-token, token: \
            REPLICA, since: 5.0.0}, {name: pubsub, type: pure-token, token: PUBSUB}]}, {name: \
            username, type: string, token: USER, flags: ~[+optional]}, {name: ip:port, type: \
            string, token: ADDR, flags: ~[+optional]}, {name: ip:port, type: string, token: LADDR, \
            since: 6.2.0, flags: ~[+optional]}, {name: yes/no, type: string, token: SKIPME, flags: \
            ~[+optional]}]}]}]}",
            ),
            (
                2,
                "getset",
                "[doc_flags, [+deprecated], deprecated_since, 6.2.0, replaced_by, `SET` \
            with the `!GET` argument, arguments, [[name, key, type, key, key_spec_index, :0], \
            [name, value, type, string]]]",
            ),
            (
                2,
                "lcs",
                "[arguments, [[name, key1, type, key, key_spec_index, :0], [name, key2, \
            type, key, key_spec_index, :0], [name, len, type, pure-token, token, LEN, flags, \
            [+optional]], [name, idx, type, pure-token, token, IDX, flags, [+optional]], [name, \
            len, type, integer, token, MINMATCHLEN, flags, [+optional]], [name, withmatchlen, \
            type, pure-token, token, WITHMATCHLEN, flags, [+optional]]]]",
            ),
        ] {
            assert_eq!(extra(name, resp), want, "{name} in RESP{resp}");
        }
    }
}
