/**
 * TLS to the source and the target, from the {@code ssl.*} settings: certificates and keys
 * read from PEM files ({@code TlsMaterial}, with Bouncy Castle), the binlog connection's SSL socket factory
 * ({@code BinlogTls}), Connector/J's properties for the same settings ({@code ConnectorJTls}), and messages that name
 * the setting behind a TLS failure ({@code TlsFailures}).
 */
package dev.binrelay.engine.tls;
