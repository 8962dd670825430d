/**
 * Table shapes and identifiers, the one home of both. {@link dev.binrelay.schema.TableShapes} reads a table's
 * columns and unique keys from {@code information_schema} (of a source or a target, MySQL or MariaDB) into a
 * {@link dev.binrelay.schema.TableShape}; the applier, the snapshot, the verifier and testkit's checksums each map
 * that shape onto what they need. {@link dev.binrelay.schema.Identifiers} quotes names for SQL text.
 */
package dev.binrelay.schema;
