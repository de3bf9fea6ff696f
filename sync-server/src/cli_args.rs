//! The words of the `homeward-sync-server` command line (clap's derive types and the parsers of
//! their values), apart from what each verb does (`main.rs`): a new verb or flag is added here,
//! its behaviour there.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use homeward_sync_server::ApiError;

#[derive(Debug, Parser)]
#[command(
    name = "homeward-sync-server",
    version,
    about = "Homeward sync server."
)]
pub(crate) struct Cli {
    /// The database: a SQLite file (encrypted at rest when HOMEWARD_DB_KEY is set), or a
    /// PostgreSQL URL, postgres://USER@HOST:PORT/DB (README "Running at scale").
    #[arg(long, global = true, default_value = "homeward-server.db")]
    pub(crate) db: PathBuf,
    /// Print JSON where a verb prints data.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    #[command(subcommand)]
    pub(crate) verb: Verb,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Verb {
    /// Serve the API.
    Serve {
        #[command(flatten)]
        net: Net,
        /// The NGO's programme file (TOML, laid over the defaults): set as the programme in
        /// force before serving, a new version only when it differs from the one in force.
        #[arg(long, value_name = "FILE")]
        programme: Option<PathBuf>,
    },
    /// The programme in force (thresholds and schemes), sent to every device at its next sync.
    #[command(subcommand)]
    Programme(ProgrammeVerb),
    /// Manage users.
    #[command(subcommand)]
    User(UserVerb),
    /// Manage devices.
    #[command(subcommand)]
    Device(DeviceVerb),
    /// Manage case assignments.
    #[command(subcommand)]
    Case(CaseVerb),
    /// The resource map: the providers of each block a family can be referred to, sent to the
    /// devices of each block at their next sync.
    #[command(subcommand)]
    Resource(ResourceVerb),
    /// The server's keys: devices seal their files to the newest, and check its signatures.
    #[command(subcommand)]
    Keys(KeysVerb),
    /// Sealed files carried by hand: a phone's changes in, the server's updates out.
    #[command(subcommand)]
    Bundle(BundleVerb),
    /// Counts of users, devices, cases and stored changes.
    Stats,
    /// Write a consistent copy of the database to a new file (encrypted with the same key), while
    /// the server serves; see README "Backups and restore".
    Backup {
        /// The new file (never overwritten).
        to: std::path::PathBuf,
    },
    /// Make the database named by --db, a new file, from a backup (with the server stopped, then
    /// move it into place); devices that synced after the backup start over at their next sync.
    ///
    /// On PostgreSQL, restore with the cluster's tools (pg_restore, or promote an old standby),
    /// then run `restore --postgres-restored FROM` before any server serves: it moves the feed
    /// past a gap the same way.
    Restore {
        /// The backup file (left unchanged); with --postgres-restored, the dump it was restored
        /// from, named for the record only.
        from: std::path::PathBuf,
        /// The PostgreSQL database --db names was just restored from FROM: record the restore.
        #[arg(long)]
        postgres_restored: bool,
    },
    /// Reports.
    #[command(subcommand)]
    Report(ReportVerb),
    /// Spot checks.
    #[command(subcommand)]
    SpotCheck(SpotCheckVerb),
    /// The conflict queue: fields devices set at once.
    #[command(subcommand)]
    Conflict(ConflictVerb),
    /// Fill the database with synthetic demo data and serve it.
    Demo {
        #[command(flatten)]
        net: Net,
        /// How many synthetic cases.
        #[arg(long, default_value_t = 200)]
        cases: usize,
        /// The NGO's programme file (TOML, laid over the defaults), as for `serve`.
        #[arg(long, value_name = "FILE")]
        programme: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProgrammeVerb {
    /// Set the programme from an NGO's file (laid over the defaults): refused with the line at
    /// fault when it does not read; a new version only when it differs from the one in force.
    Set {
        /// The programme file (TOML).
        file: PathBuf,
    },
    /// The version in force, who set it and when, then its file.
    Show {
        /// The whole programme in force instead, every key written (what devices receive).
        #[arg(long)]
        whole: bool,
    },
}

/// Where and how to serve.
#[derive(Debug, clap::Args)]
pub(crate) struct Net {
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub(crate) listen: SocketAddr,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, requires = "tls_key")]
    pub(crate) tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, requires = "tls_cert")]
    pub(crate) tls_key: Option<PathBuf>,
    /// Serve plain HTTP on an address other than loopback: only behind a TLS proxy on a
    /// private network. Without it, a non-loopback address needs --tls-cert and --tls-key.
    #[arg(long)]
    pub(crate) plain_http: bool,
    /// Serve on an address other than loopback with an unencrypted database (no
    /// HOMEWARD_DB_KEY): only where the disk itself is encrypted.
    #[arg(long)]
    pub(crate) unencrypted_db: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserVerb {
    /// Add a user.
    Add {
        /// The user's name.
        name: String,
        /// The user's id (letters, digits, '-'); derived from the name when absent.
        #[arg(long)]
        id: Option<String>,
        /// fieldworker, supervisor, cwc or admin.
        #[arg(long)]
        role: String,
        /// A district in the user's scope; repeat.
        #[arg(long)]
        district: Vec<String>,
        /// A block in the user's scope, as BLOCK or DISTRICT/BLOCK; repeat.
        #[arg(long)]
        block: Vec<String>,
        /// Read a dashboard password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user: no login, enrolment or sync; their devices are revoked (each wipes its
    /// store at its next sync) and their dashboard sessions end.
    Disable {
        /// User id.
        id: String,
    },
    /// Enable a disabled user again (their revoked devices stay revoked: give new codes).
    Enable {
        /// User id.
        id: String,
    },
    /// Set a user's dashboard password, read from standard input; their sessions end.
    Password {
        /// User id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DeviceVerb {
    /// Create a one-time enrolment code for a user (printed alone on the last line).
    Code {
        /// User id.
        user: String,
    },
    /// One device per line, its id first.
    List,
    /// Revoke a device: its next contact wipes it.
    Revoke {
        /// Device id.
        id: String,
    },
    /// Register the phone number a device's urgent SMS come from (compared on its last ten
    /// digits: +91 98765 43210, 098765 43210 and 9876543210 are one number).
    Phone {
        /// Device id.
        device: String,
        /// The phone's number.
        number: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReportVerb {
    /// The systemic gaps: pending claims by district, block, scheme and age (CSV, no names).
    Gaps {
        /// Only this district (default: all).
        #[arg(long)]
        district: Option<String>,
        /// en or hi.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: homeward_shared::i18n::Lang,
        /// Output file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// The CWC monthly progress report of a district.
    Cwc {
        /// District.
        #[arg(long)]
        district: String,
        /// Month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: homeward_shared::indicators::Month,
        /// pdf or csv.
        #[arg(long, default_value = "pdf", value_parser = parse_format)]
        format: homeward_sync_server::report::Format,
        /// en or hi.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: homeward_shared::i18n::Lang,
        /// Output file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

pub(crate) fn parse_month(s: &str) -> Result<homeward_shared::indicators::Month, String> {
    s.parse()
        .map_err(|e: homeward_shared::indicators::BadMonth| e.to_string())
}

pub(crate) fn parse_format(s: &str) -> Result<homeward_sync_server::report::Format, String> {
    s.parse().map_err(|e: ApiError| e.to_string())
}

pub(crate) fn parse_lang(s: &str) -> Result<homeward_shared::i18n::Lang, String> {
    s.parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConflictVerb {
    /// Every conflicting field of the cases a user may see (default: all).
    List {
        /// As this user (their areas).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Settle a conflicting field as a supervisor: keep one device's value or set a new text.
    Resolve {
        /// Case id.
        case: String,
        /// The field, as `conflict list` names it.
        path: String,
        /// Keep the value this actor (hex, from `conflict list`) wrote.
        #[arg(long, conflicts_with = "value", required_unless_present = "value")]
        keep: Option<String>,
        /// Set this new value (text fields, statuses by key).
        #[arg(long)]
        value: Option<String>,
        /// The supervisor (or administrator) who decides.
        #[arg(long = "as")]
        as_user: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SpotCheckVerb {
    /// Draw a month's sample of reported visits to verify (once per month): at least 2 or 10%
    /// per fieldworker, unusual visits first.
    Draw {
        /// The month, YYYY-MM (default: last month).
        #[arg(long, value_parser = parse_month)]
        month: Option<homeward_shared::indicators::Month>,
    },
    /// List a month's spot checks with their outcomes.
    List {
        /// The month, YYYY-MM (default: last month).
        #[arg(long, value_parser = parse_month)]
        month: Option<homeward_shared::indicators::Month>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CaseVerb {
    /// Assign (or transfer) a case to a user.
    Assign {
        /// Case id.
        case: String,
        /// User id.
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeysVerb {
    /// Every key the server has had, oldest first: which signs now, which are retired.
    List,
    /// Make a new key, endorsed by the current one, that signs from now on. The old key keeps
    /// opening files and is still offered: devices learn the new one at their next sync.
    Rotate,
    /// Retire an old key once devices have synced since the rotation: files sealed to it are
    /// then refused. The key that signs now cannot be retired.
    Retire {
        /// The key's id (keys list).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum BundleVerb {
    /// Import a sealed file a phone made (its changes, or a case it exported): each case is
    /// stored or refused as in a sync; the receipt is printed. Exits non-zero when the file is
    /// refused. A revoked device's leftover file is imported this way.
    Import {
        /// The sealed file.
        file: PathBuf,
    },
    /// Make a sealed file of a device's next sync (everything it has not confirmed, the
    /// reference data, the confirmations of its bundles), for the phone to receive offline.
    Export {
        /// The device's id (device list).
        #[arg(long)]
        device: String,
        /// Where to write the file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ResourceVerb {
    /// Put a resource on the map (its new id is printed alone on the last line).
    Add {
        /// District.
        #[arg(long)]
        district: String,
        /// Block.
        #[arg(long)]
        block: String,
        /// livelihood, skills-training, special-education, school, health, counselling,
        /// legal-aid or government-office.
        #[arg(long, value_parser = parse_kind)]
        kind: homeward_shared::resource::ResourceKind,
        /// Its name (either script).
        #[arg(long)]
        name: String,
        /// Whom to call or ask for.
        #[arg(long)]
        contact: Option<String>,
        /// What it offers.
        #[arg(long)]
        offers: Option<String>,
        /// Where it is.
        #[arg(long)]
        address: Option<String>,
        /// The youngest age it takes.
        #[arg(long)]
        min_age: Option<u32>,
        /// The oldest age it takes.
        #[arg(long)]
        max_age: Option<u32>,
        /// f (girls only) or m (boys only); everyone when absent.
        #[arg(long, value_parser = parse_sex)]
        sex: Option<homeward_shared::model::Sex>,
    },
    /// The resources, one a line (with --json: a JSON array).
    List {
        /// Only this district.
        #[arg(long)]
        district: Option<String>,
    },
    /// Import a CSV file (header row: district,block,kind,name,address,contact,offers,min_age,
    /// max_age,sex,active): checked whole first, refused with the line of the first bad row and
    /// nothing stored; a row with a stored resource's district, block, kind and name updates it.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// Set a resource inactive: it stays on the map (referrals name it) but is not suggested.
    Deactivate {
        /// Resource id.
        id: String,
    },
}

pub(crate) fn parse_kind(s: &str) -> Result<homeward_shared::resource::ResourceKind, String> {
    s.parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())
}

pub(crate) fn parse_sex(s: &str) -> Result<homeward_shared::model::Sex, String> {
    match homeward_sync_server::store::resource_sex(s) {
        Ok(Some(sex)) => Ok(sex),
        _ => Err(format!("'{s}' is not f or m")),
    }
}
