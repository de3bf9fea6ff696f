//! `homeward-sync-server`: the sync server's command line. A contract: keep the verbs and flags.
//!
//! Exit codes: 0 success, 2 bad input, 1 anything else.

use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use homeward_sync_server::store::{Location, Role, Store};
use homeward_sync_server::{ApiError, AppState, demo};

mod cli_args;
mod cli_bundles;
mod cli_resources;

use cli_args::{
    CaseVerb, Cli, ConflictVerb, DeviceVerb, Net, ProgrammeVerb, ReportVerb, SpotCheckVerb,
    UserVerb, Verb,
};

fn main() -> ExitCode {
    // Every file the server creates (the database, its WAL, report files) is the server
    // user's alone.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    // An Automerge panic on a device's bytes is caught and refused with a 400 that names it
    // (homeward_shared::untrusted); only other panics reach the default report.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !homeward_shared::untrusted::inside_guard() {
            report(info);
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.render().to_string();
            eprintln!(
                "{}",
                text.lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("error: bad arguments")
            );
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if e.status().is_client_error() { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> Result<(), ApiError> {
    let json = cli.json;
    // An encryption key for the database, if the deployment sets one (kept out of argv).
    let key = std::env::var("HOMEWARD_DB_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    let location = Location::from_arg(&cli.db, key.as_deref());
    let postgres = matches!(location, Location::Postgres { .. });
    if postgres && key.is_some() {
        eprintln!(
            "WARNING: HOMEWARD_DB_KEY encrypts a SQLite file only; on PostgreSQL it is not used \
             (encrypt the cluster's disk)"
        );
    }
    // A server that would refuse to serve says so before it creates or fills any database.
    if let Verb::Serve { net, .. } | Verb::Demo { net, .. } = &cli.verb {
        exposure(net, key.is_some() && !postgres, postgres)?;
    }
    // A restore makes the database --db names: it must not exist yet.
    if let Verb::Restore {
        from,
        postgres_restored,
    } = &cli.verb
    {
        if postgres != *postgres_restored {
            return Err(ApiError::BadRequest(
                if postgres {
                    "restore makes a SQLite file: restore a PostgreSQL database with the \
                     cluster's own tools, then run `restore --postgres-restored FROM` on it \
                     (README \"Running at scale\")"
                } else {
                    "--postgres-restored is for a PostgreSQL database (--db postgres://...)"
                }
                .into(),
            ));
        }
        let (s, (after, until)) = if postgres {
            let mut store = location.open()?;
            let gap = store.mark_restored(&from.display().to_string())?;
            (store.stats()?, gap)
        } else {
            Store::restore(from, &cli.db, key.as_deref())?
        };
        if json {
            print_json(&serde_json::json!({
                "file": location.to_string(),
                "stats": s,
                "backup_feed_high": after,
                "feed_resumes_after": until,
            }))?;
        } else {
            println!(
                "restored {} from {}: users {}  devices {}  cases {}  changes {}  visits {}\n\
                 the feed resumes after position {until} (the backup's last was {after}): a phone \
                 that synced after the backup starts over at its next sync; what it sent after \
                 the backup is lost here until it syncs with `homeward sync --resend`",
                location,
                from.display(),
                s.users,
                s.devices,
                s.cases,
                s.changes,
                s.visits
            );
        }
        return Ok(());
    }
    let mut store = location.open()?;
    match cli.verb {
        Verb::Serve { net, programme } => {
            if let Some(file) = &programme {
                eprintln!(
                    "{}",
                    set_programme(&mut store, file, "serve --programme")?.2
                );
            }
            // A programme that no longer reads (set by a server of another version) stops the
            // server here, not at every sync and page.
            store.programme()?;
            serve(store, &net)
        }
        Verb::Programme(ProgrammeVerb::Set { file }) => {
            let (version, new, said) = set_programme(&mut store, &file, "programme set")?;
            if json {
                println!("{}", serde_json::json!({ "version": version, "new": new }));
            } else {
                println!("{said}");
            }
            Ok(())
        }
        Verb::Programme(ProgrammeVerb::Show { whole }) => {
            let current = store.programme_version()?;
            let programme = store.programme()?;
            if json {
                print_json(&serde_json::json!({
                    "version": current.as_ref().map_or(0, |c| c.version),
                    "set_by": current.as_ref().map(|c| &c.set_by),
                    "set_at": current.as_ref().map(|c| &c.set_at),
                    "text": current.as_ref().map(|c| &c.text),
                    "whole": programme.to_toml(),
                }))?;
            } else if whole {
                print!("{}", programme.to_toml());
            } else {
                match current {
                    None => println!(
                        "# the defaults are in force: no programme was set (`programme show --whole` prints them)"
                    ),
                    Some(c) => {
                        println!(
                            "# version {}, set by {} on {}; laid over the defaults",
                            c.version, c.set_by, c.set_at
                        );
                        print!("{}", c.text);
                        if !c.text.ends_with('\n') {
                            println!();
                        }
                    }
                }
            }
            Ok(())
        }
        Verb::Demo {
            net,
            cases,
            programme,
        } => {
            let listen = net.listen;
            let scheme = if net.tls_cert.is_some() {
                "https"
            } else {
                "http"
            };
            if store.stats()?.users > 0 {
                return Err(ApiError::Conflict(format!(
                    "{} already holds data: the demo needs a new database (--db PATH)",
                    location
                )));
            }
            if let Some(file) = &programme {
                eprintln!("{}", set_programme(&mut store, file, "demo --programme")?.2);
            }
            let today = homeward_sync_server::today();
            eprintln!("filling {} with {cases} synthetic cases...", location);
            let d = demo::fill(&mut store, today, cases)?;
            println!(
                "demo: {} synthetic cases with {} visits, {} users, {} visits of last month drawn for spot checks",
                d.cases,
                d.visits,
                d.users.len(),
                d.spot_checks
            );
            println!();
            println!("Users (every password is '{}'):", demo::DEMO_PASSWORD);
            for (id, role, areas) in &d.users {
                println!("  {id:<28} {role:<12} {areas}");
            }
            println!();
            println!(
                "Enrol a field device as {} (code valid once, for 7 days):",
                d.code_user
            );
            // A PIN of six digits, not a trivial one; the device secret's keystore is the
            // Secret Service on a desktop, a folder outside the data folder elsewhere.
            println!("  export HOMEWARD_PIN=246813 HOMEWARD_KEYSTORE=file:/tmp/hw-keys");
            println!(
                "  homeward --data /tmp/hw-device enrol --server {scheme}://{listen} --code {}",
                d.code
            );
            println!("  homeward --data /tmp/hw-device sync");
            println!(
                "More codes: homeward-sync-server --db {} device code USER",
                location
            );
            println!(
                "Dashboard: {scheme}://{listen}/ (log in as supervisor-gaya or cwc-gaya, password '{}'); the API is described at {scheme}://{listen}/api/openapi.json",
                demo::DEMO_PASSWORD
            );
            serve(store, &net)
        }
        Verb::User(UserVerb::Add {
            name,
            id,
            role,
            district,
            block,
            password_stdin,
        }) => {
            let role = Role::parse(&role).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "unknown role '{role}' (expected fieldworker, supervisor, cwc or admin)"
                ))
            })?;
            let mut areas: Vec<(String, String)> =
                district.into_iter().map(|d| (d, String::new())).collect();
            for b in block {
                match b.split_once('/') {
                    Some((d, b)) => areas.push((d.to_owned(), b.to_owned())),
                    None if areas.len() == 1 => areas.push((areas[0].0.clone(), b)),
                    None => {
                        return Err(ApiError::BadRequest(format!(
                            "block '{b}': give it as DISTRICT/BLOCK, or give exactly one --district"
                        )));
                    }
                }
            }
            // A block narrows its district: drop the whole-district entry it came with.
            if areas.iter().any(|(_, b)| !b.is_empty()) {
                areas.retain(|(_, b)| !b.is_empty());
            }
            let password = if password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let id =
                store.add_user_with_id(id.as_deref(), &name, role, &areas, password.as_deref())?;
            if json {
                println!("{}", serde_json::json!({ "id": id }));
            } else {
                println!("added {} {id}", role.key());
            }
            Ok(())
        }
        Verb::User(UserVerb::Disable { id }) => {
            let done = store.disable_user(&id, COMMAND_LINE)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "id": id, "disabled": true, "devices_revoked": done.devices, "sessions_ended": done.sessions })
                );
            } else {
                println!(
                    "{} {id}: {} devices revoked (each wipes its store at its next sync), {} dashboard sessions ended; reassign their cases with `case assign`",
                    if done.already {
                        "was disabled already:"
                    } else {
                        "disabled"
                    },
                    done.devices,
                    done.sessions
                );
            }
            Ok(())
        }
        Verb::User(UserVerb::Enable { id }) => {
            store.enable_user(&id, COMMAND_LINE)?;
            println!(
                "enabled {id}: they may log in again; give new enrolment codes for their phones"
            );
            Ok(())
        }
        Verb::User(UserVerb::Password { id }) => {
            let password = read_password()?;
            let sessions = store.set_password(&id, &password, COMMAND_LINE)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "id": id, "sessions_ended": sessions })
                );
            } else {
                println!("new password for {id}; {sessions} dashboard sessions ended");
            }
            Ok(())
        }
        Verb::Device(DeviceVerb::Code { user }) => {
            let code = store.enrolment_code(&user)?;
            if json {
                println!("{}", serde_json::json!({ "user": user, "code": code }));
            } else {
                println!("enrolment code for {user}, valid once for 7 days:\n{code}");
            }
            Ok(())
        }
        Verb::Device(DeviceVerb::List) => {
            let rows = store.devices()?;
            if json {
                print_json(&rows)?;
            } else {
                for d in rows {
                    println!(
                        "{}  {:<24} {:<14} enrolled {}  last seen {}{}",
                        d.id,
                        d.user_id,
                        d.name,
                        d.enrolled_at.get(..10).unwrap_or(&d.enrolled_at),
                        d.last_seen
                            .as_deref()
                            .map_or("never", |s| s.get(..16).unwrap_or(s)),
                        if d.revoked_at.is_some() {
                            "  REVOKED"
                        } else {
                            ""
                        }
                    );
                }
            }
            Ok(())
        }
        Verb::Device(DeviceVerb::Revoke { id }) => {
            store.revoke(&id)?;
            println!("revoked {id}: its next sync wipes it; its user's dashboard sessions ended");
            Ok(())
        }
        Verb::Device(DeviceVerb::Phone { device, number }) => {
            let phone = store.set_device_phone(&device, &number)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "device": device, "phone": phone })
                );
            } else {
                println!("device {device}: its urgent SMS are taken from {phone}");
            }
            Ok(())
        }
        Verb::Case(CaseVerb::Assign { case, user }) => {
            store.assign(&case, &user)?;
            println!("case {case} assigned to {user}");
            Ok(())
        }
        Verb::Report(ReportVerb::Cwc {
            district,
            month,
            format,
            lang,
            output,
        }) => {
            let children = homeward_sync_server::report::write(
                &store,
                &district,
                month,
                format,
                lang,
                homeward_sync_server::today(),
                &output,
            )?;
            // Every report produced is in the audit log, from the dashboard or from here.
            store.audit(
                COMMAND_LINE,
                "report-cwc",
                None,
                Some(&format!(
                    "{district} {month} {} {lang} to {}",
                    match format {
                        homeward_sync_server::report::Format::Pdf => "pdf",
                        homeward_sync_server::report::Format::Csv => "csv",
                    },
                    output.display()
                )),
            )?;
            println!(
                "wrote the {district} report for {month} ({children} children) to {}",
                output.display()
            );
            Ok(())
        }
        Verb::Report(ReportVerb::Gaps {
            district,
            lang,
            output,
        }) => {
            let area = district
                .as_deref()
                .map(homeward_sync_server::scope::Area::whole);
            let csv = homeward_sync_server::report::gaps_csv(
                &store,
                area.as_ref(),
                homeward_sync_server::today(),
                lang,
            )?;
            std::fs::write(&output, &csv).map_err(|e| {
                ApiError::BadRequest(format!("cannot write {}: {e}", output.display()))
            })?;
            store.audit(
                COMMAND_LINE,
                "report-gaps",
                None,
                Some(&format!(
                    "{} {lang} to {}",
                    district.as_deref().unwrap_or("all districts"),
                    output.display()
                )),
            )?;
            println!("wrote the systemic gaps report to {}", output.display());
            Ok(())
        }
        Verb::Conflict(ConflictVerb::List { as_user }) => {
            let user = match as_user {
                Some(id) => store.web_user(&id)?,
                None => command_line_admin(),
            };
            let queue = store.conflict_queue(&user)?;
            if json {
                print_json(&queue)?;
            } else if queue.is_empty() {
                println!("no conflicts");
            } else {
                for c in queue {
                    println!(
                        "{}  {} ({}, {})  {}",
                        c.case_id, c.child_name, c.block, c.district, c.path
                    );
                    for (v, device) in c.values.into_iter().zip(c.devices) {
                        let who = v.author.map_or_else(|| "unknown".to_owned(), |a| a.name);
                        let device = device.unwrap_or_else(|| "unknown device".into());
                        println!(
                            "    {:<24} by {who} on {device} (actor {})",
                            v.value, v.actor
                        );
                    }
                }
            }
            Ok(())
        }
        Verb::Conflict(ConflictVerb::Resolve {
            case,
            path,
            keep,
            value,
            as_user,
        }) => {
            let user = store.web_user(&as_user)?;
            let resolution = match (keep, value) {
                (Some(actor), _) => homeward_shared::edit::Resolution::Keep(actor),
                (None, Some(v)) => homeward_shared::edit::Resolution::Set(v),
                (None, None) => {
                    return Err(ApiError::BadRequest(
                        "give --keep ACTOR or --value TEXT".into(),
                    ));
                }
            };
            store.resolve_conflict(&user, &case, &path, resolution)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "case": case, "path": path, "resolved": true })
                );
            } else {
                println!("{case} {path}: settled; devices receive it at their next sync");
            }
            Ok(())
        }
        Verb::SpotCheck(verb) => {
            let last = homeward_shared::indicators::Month::of(homeward_sync_server::today()).prev();
            let admin = command_line_admin();
            match verb {
                SpotCheckVerb::Draw { month } => {
                    let month = month.unwrap_or(last);
                    let n = store.draw_spot_checks(
                        month,
                        COMMAND_LINE,
                        homeward_sync_server::today(),
                    )?;
                    if json {
                        println!(
                            "{}",
                            serde_json::json!({ "month": month.to_string(), "drawn": n })
                        );
                    } else {
                        println!("{n} visits drawn for the spot checks of {month}");
                    }
                }
                SpotCheckVerb::List { month } => {
                    let rows = store.spot_checks(&admin, Some(month.unwrap_or(last)))?;
                    if json {
                        print_json(&rows)?;
                    } else {
                        for r in rows {
                            println!(
                                "{}  {}  {:<24} {:<20} {:<14} {}",
                                r.id,
                                r.visit_date,
                                r.fieldworker_name,
                                r.child_name,
                                r.outcome
                                    .map_or("to check".to_owned(), |o| format!("{o:?}")),
                                if r.anomalies.is_empty() {
                                    "random"
                                } else {
                                    "anomaly"
                                }
                            );
                        }
                    }
                }
            }
            Ok(())
        }
        Verb::Resource(verb) => cli_resources::run(&mut store, verb, json, COMMAND_LINE),
        Verb::Keys(verb) => cli_bundles::keys(&mut store, verb, json, COMMAND_LINE),
        Verb::Bundle(verb) => cli_bundles::bundle(&mut store, verb, json, COMMAND_LINE),
        Verb::Restore { .. } => Err(ApiError::Internal("restore is handled above".into())),
        Verb::Backup { to } => {
            let (s, high) = store.backup(&to)?;
            if json {
                print_json(&serde_json::json!({
                    "file": to.display().to_string(),
                    "stats": s,
                    "feed_high": high,
                }))?;
            } else {
                println!(
                    "backed up to {}: users {}  devices {}  cases {}  changes {}  visits {}  (feed position {high})",
                    to.display(),
                    s.users,
                    s.devices,
                    s.cases,
                    s.changes,
                    s.visits
                );
            }
            Ok(())
        }
        Verb::Stats => {
            let s = store.stats()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&s).map_err(|e| ApiError::Internal(e.to_string()))?
                );
            } else {
                println!(
                    "users {}  devices {}  cases {}  changes {}  feed changes {}  visits {}",
                    s.users, s.devices, s.cases, s.changes, s.feed_changes, s.visits
                );
            }
            Ok(())
        }
    }
}

/// Who the command line is in the audit log.
const COMMAND_LINE: &str = "command-line";

/// Sets the programme from `file` as the command line (`how`: the verb, for the message):
/// the version in force, whether it is new, and a sentence saying so.
fn set_programme(
    store: &mut Store,
    file: &std::path::Path,
    how: &str,
) -> Result<(u64, bool, String), ApiError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| ApiError::BadRequest(format!("cannot read {}: {e}", file.display())))?;
    let before = store.programme_version()?.map(|v| v.version);
    let version = store
        .set_programme(COMMAND_LINE, &text)
        .map_err(|e| match e {
            ApiError::Unprocessable(m) => {
                ApiError::Unprocessable(format!("{}: {m}", file.display()))
            }
            other => other,
        })?;
    let new = before != Some(version);
    let said = if new {
        format!(
            "{how}: {} is the programme in force, version {version}; devices receive it at their next sync",
            file.display()
        )
    } else {
        format!(
            "{how}: {} is version {version}, already in force: nothing changed",
            file.display()
        )
    };
    Ok((version, new, said))
}

/// A password from standard input, without its line end.
fn read_password() -> Result<String, ApiError> {
    let mut p = String::new();
    std::io::stdin()
        .take(u64::try_from(homeward_sync_server::limits::PASSWORD).unwrap_or(u64::MAX) + 3)
        .read_to_string(&mut p)
        .map_err(|e| ApiError::BadRequest(format!("cannot read the password: {e}")))?;
    Ok(p.trim_end_matches(['\n', '\r']).to_owned())
}

/// Prints a value as pretty JSON (the `--json` output of every verb that lists).
fn print_json(value: &impl serde::Serialize) -> Result<(), ApiError> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// The command line acts as an administrator: it runs where the database is.
fn command_line_admin() -> homeward_sync_server::store::WebUser {
    homeward_sync_server::store::WebUser {
        id: "admin".into(),
        name: "command line".into(),
        role: Role::Admin,
        areas: Vec::new(),
    }
}

/// Refuses to expose children's records carelessly: on an address other than loopback the
/// server needs TLS (or an explicit `--plain-http` behind a TLS proxy) and an encrypted
/// database (or an explicit `--unencrypted-db`); on loopback it warns about the database.
fn exposure(net: &Net, db_encrypted: bool, postgres: bool) -> Result<(), ApiError> {
    let public = !net.listen.ip().is_loopback();
    if public && net.tls_cert.is_none() && !net.plain_http {
        return Err(ApiError::BadRequest(format!(
            "refusing to serve children's records over plain HTTP on {}: give --tls-cert and \
             --tls-key, or put a TLS proxy in front and pass --plain-http",
            net.listen
        )));
    }
    if postgres {
        // The server cannot encrypt what PostgreSQL stores: the operator says the cluster's disk
        // is encrypted.
        if public && !net.unencrypted_db {
            return Err(ApiError::BadRequest(format!(
                "refusing to serve on {} from PostgreSQL without --unencrypted-db: the server \
                 cannot encrypt what PostgreSQL stores; encrypt the cluster's disk, then pass \
                 --unencrypted-db",
                net.listen
            )));
        }
        return Ok(());
    }
    if !db_encrypted {
        if public && !net.unencrypted_db {
            return Err(ApiError::BadRequest(format!(
                "refusing to serve on {} with an unencrypted database: set HOMEWARD_DB_KEY (the \
                 database is then encrypted at rest), or pass --unencrypted-db where the disk is \
                 encrypted",
                net.listen
            )));
        }
        eprintln!(
            "WARNING: the database is not encrypted at rest (HOMEWARD_DB_KEY is not set): anyone \
             who copies its file reads every child's record. Set HOMEWARD_DB_KEY in any real \
             deployment."
        );
    }
    Ok(())
}

/// Serves the store on `net` (after [`exposure`] allowed it).
fn serve(store: Store, net: &Net) -> Result<(), ApiError> {
    let tls = match (&net.tls_cert, &net.tls_key) {
        (Some(cert), Some(key)) => {
            Some(homeward_sync_server::serve::tls_config(cert, key).map_err(ApiError::BadRequest)?)
        }
        _ => None,
    };
    let listen = net.listen;
    let rt = tokio::runtime::Runtime::new().map_err(|e| ApiError::Internal(e.to_string()))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| ApiError::BadRequest(format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        // Tests and scripts read the bound address from this line.
        let scheme = if tls.is_some() { "https" } else { "http" };
        println!("listening on {scheme}://{addr}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // Behind TLS, of the server's own or of a proxy (--plain-http), the session cookie
        // travels over HTTPS only.
        let mut state = AppState::new(store);
        // The SMS gateway's secret, like the database key, is kept out of argv.
        if let Ok(secret) = std::env::var("HOMEWARD_SMS_SECRET") {
            state = state.with_sms_secret(&secret);
        }
        if tls.is_some() || net.plain_http {
            state = state.with_secure_cookies();
        }
        let app = homeward_sync_server::router(state);
        homeward_sync_server::serve::serve(listener, app, tls, stop_signal())
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
}

/// Ctrl-C or SIGTERM (a service manager's stop): finish in-flight requests, then exit.
async fn stop_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async {
            match term.as_mut() {
                Some(t) => { t.recv().await; }
                None => std::future::pending::<()>().await,
            }
        } => {}
    }
}
