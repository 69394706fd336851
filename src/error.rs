//! Every error a command can answer, with Redis's byte-exact text in one place.

use std::borrow::Cow;

/// An error reply. `message()` is the text after the leading `-` of the RESP error.
#[derive(Debug, Clone, PartialEq)]
pub enum CmdError {
    WrongType,
    NotInteger,
    NotFloat,
    Syntax,
    NoSuchKey,
    OutOfRange,
    /// "ERR wrong number of arguments for '<name>' command".
    Arity(String),
    /// "ERR unknown subcommand '<sub>'. Try <CMD> HELP."
    UnknownSubcommand {
        sub: String,
        cmd: String,
    },
    NoAuth,
    /// Redis's addReplySubcommandSyntaxError: "ERR unknown subcommand or wrong number
    /// of arguments for '<sub>'. Try <CMD> HELP."
    SubcommandSyntax {
        sub: String,
        cmd: String,
    },
    /// Any other message, given in full including its code (e.g. "ERR ...").
    Msg(Cow<'static, str>),
}

pub type CmdResult = Result<(), CmdError>;

impl CmdError {
    pub fn msg(text: impl Into<Cow<'static, str>>) -> CmdError {
        CmdError::Msg(text.into())
    }

    /// The full error text, without the leading '-' and trailing CRLF.
    pub fn message(&self) -> Cow<'static, str> {
        match self {
            CmdError::WrongType => {
                "WRONGTYPE Operation against a key holding the wrong kind of value".into()
            }
            CmdError::NotInteger => "ERR value is not an integer or out of range".into(),
            CmdError::NotFloat => "ERR value is not a valid float".into(),
            CmdError::Syntax => "ERR syntax error".into(),
            CmdError::NoSuchKey => "ERR no such key".into(),
            CmdError::OutOfRange => "ERR index out of range".into(),
            CmdError::Arity(name) => {
                format!("ERR wrong number of arguments for '{name}' command").into()
            }
            CmdError::UnknownSubcommand { sub, cmd } => {
                format!("ERR unknown subcommand '{sub}'. Try {cmd} HELP.").into()
            }
            CmdError::NoAuth => "NOAUTH Authentication required.".into(),
            CmdError::SubcommandSyntax { sub, cmd } => format!(
                "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {cmd} HELP."
            )
            .into(),
            CmdError::Msg(m) => m.clone(),
        }
    }
}

/// Shorthand for a `CmdError::Msg` result.
pub fn err<T>(text: impl Into<Cow<'static, str>>) -> Result<T, CmdError> {
    Err(CmdError::msg(text))
}

/// Renders client-supplied bytes for use inside an error message, as Redis does with `%s`.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
