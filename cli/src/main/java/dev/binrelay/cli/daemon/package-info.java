/**
 * The running daemon: {@code ReplicaController} (the owner of one channel's replica: pause, resume, skip, and a fresh
 * replica when started again after a failure), {@code ChannelSet} (the channels together), {@code ReplicaFactory} (configuration to {@code Replica.Builder}), the HTTP API
 * ({@code HttpApi}: status, health, metrics, control with its token), Prometheus metrics ({@code ReplicaMetrics}), the
 * progress log ({@code ReplicaMonitor}) and the log format and target chosen before logging starts.
 */
package dev.binrelay.cli.daemon;
