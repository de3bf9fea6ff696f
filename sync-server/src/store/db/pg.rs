//! PostgreSQL's side: statements prepared once per connection, values converted to the
//! types PostgreSQL inferred for each parameter.

use std::collections::HashMap;

use super::{DbError, Result, Value, postgres_sql};
use futures_executor::block_on;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// The most prepared statements a connection keeps (each is held by PostgreSQL's backend too).
const MAX_STATEMENTS: usize = 512;

/// A connection: tokio-postgres's client, whose connection runs on a thread of its own
/// (with a runtime of its own), so the store's calls block the calling thread on the
/// client's futures whatever runtime, if any, that thread belongs to.
pub struct Conn {
    client: tokio_postgres::Client,
    /// Whether a [`super::Tx`] is open (the client does not say).
    pub in_transaction: bool,
    /// A statement failed in a way that ends the connection.
    lost: bool,
    statements: HashMap<String, tokio_postgres::Statement>,
}

impl Conn {
    pub fn connect(url: &str) -> Result<Conn> {
        let (sent, got) = std::sync::mpsc::channel();
        let url = url.to_owned();
        std::thread::Builder::new()
            .name("homeward-postgres".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        sent.send(Err(DbError::conversion(0, e))).ok();
                        return;
                    }
                };
                runtime.block_on(async move {
                    match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
                        Ok((client, connection)) => {
                            sent.send(Ok(client)).ok();
                            // Runs until the client is dropped or the server goes away.
                            if let Err(e) = connection.await {
                                tracing::warn!("the PostgreSQL connection ended: {e}");
                            }
                        }
                        Err(e) => {
                            sent.send(Err(DbError::Postgres(e))).ok();
                        }
                    }
                });
            })
            .map_err(|e| DbError::conversion(0, format!("no thread for PostgreSQL: {e}")))?;
        let client = got
            .recv()
            .map_err(|e| DbError::conversion(0, format!("PostgreSQL's thread ended: {e}")))??;
        Ok(Conn {
            client,
            in_transaction: false,
            lost: false,
            statements: HashMap::new(),
        })
    }

    /// Whether the connection is gone: closed, or a statement failed in a way that ends
    /// it (the server shutting down or ending this backend), which the client may learn of
    /// only a moment later.
    pub fn is_closed(&self) -> bool {
        self.lost || self.client.is_closed()
    }

    /// Notes an error that ends the connection ([`Conn::is_closed`]).
    fn note(&mut self, e: tokio_postgres::Error) -> tokio_postgres::Error {
        use tokio_postgres::error::SqlState;
        let ends = e.is_closed()
            || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
            || e.code()
                .is_some_and(|c| [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN].contains(c));
        self.lost |= ends;
        e
    }

    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        block_on(self.client.batch_execute(sql)).map_err(|e| DbError::Postgres(self.note(e)))
    }

    fn statement(&mut self, sql: &str) -> Result<tokio_postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = block_on(self.client.prepare(&postgres_sql(sql)));
        let s = prepared
            .map_err(|e| self.note(e))
            .map_err(|source| DbError::Statement {
                sql: sql.to_owned(),
                source,
            })?;
        if self.statements.len() >= MAX_STATEMENTS {
            // The store's statements are a few hundred texts, but a region's condition is
            // written out per shape of a user's areas: past the bound, start again rather
            // than grow for as long as the node runs (dropped statements are closed).
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    pub fn execute(&mut self, sql: &str, values: &[Value]) -> Result<usize> {
        let stmt = self.statement(sql)?;
        let params = bind(&stmt, values);
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let n = block_on(self.client.execute(&stmt, &refs))
            .map_err(|e| DbError::Postgres(self.note(e)))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub fn query(&mut self, sql: &str, values: &[Value]) -> Result<Vec<tokio_postgres::Row>> {
        let stmt = self.statement(sql)?;
        let params = bind(&stmt, values);
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        block_on(self.client.query(&stmt, &refs)).map_err(|e| DbError::Postgres(self.note(e)))
    }
}

/// A parameter with the type PostgreSQL inferred for it.
#[derive(Debug)]
pub struct Bound(Value);

fn bind(stmt: &tokio_postgres::Statement, values: &[Value]) -> Vec<Bound> {
    debug_assert_eq!(stmt.params().len(), values.len(), "parameter count");
    values.iter().cloned().map(Bound).collect()
}

impl ToSql for Bound {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (&self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) =>
            {
                #[allow(clippy::cast_precision_loss)]
                (*i as f64).to_sql(ty, out)
            }
            (Value::Int(i), _) => i.to_string().to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT4) =>
            {
                #[allow(clippy::cast_possible_truncation)]
                (*f as f32).to_sql(ty, out)
            }
            (Value::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::Real(f), _) => f.to_string().to_sql(ty, out),
            (Value::Text(s), &Type::INT8) => s.parse::<i64>()?.to_sql(ty, out),
            (Value::Text(s), &Type::BYTEA) => s.as_bytes().to_sql(ty, out),
            (Value::Text(s), _) => s.as_str().to_sql(ty, out),
            (Value::Blob(b), &Type::BYTEA) => b.as_slice().to_sql(ty, out),
            (Value::Blob(b), _) => {
                Err(format!("{} bytes for a parameter of type {ty}", b.len()).into())
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Column `i` of a PostgreSQL row as a [`Value`].
pub fn value(row: &tokio_postgres::Row, i: usize) -> Result<Value> {
    let col = row
        .columns()
        .get(i)
        .ok_or_else(|| DbError::conversion(i, "no such column"))?;
    let ty = col.type_();
    let v = match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|n| Value::Int(n.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|n| Value::Int(n.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|b| Value::Int(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map(|f| Value::Real(f.into())),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        }
        _ => {
            return Err(DbError::conversion(
                i,
                format!(
                    "column {} is of type {ty}, which the store does not read",
                    col.name()
                ),
            ));
        }
    };
    Ok(v.unwrap_or(Value::Null))
}
