/**
 * SQL text analysis shared by the stages and the applier: a MySQL tokenizer that knows
 * quoting, comments and executable comments ({@link dev.binrelay.engine.sql.SqlTokenizer}), the kind of a statement
 * ({@code QueryKind}), the tables a DDL statement names ({@code DdlNames}), and the redaction of credentials from any
 * statement text that reaches a log, a status or an error ({@link dev.binrelay.engine.sql.CredentialRedaction}).
 */
package dev.binrelay.engine.sql;
