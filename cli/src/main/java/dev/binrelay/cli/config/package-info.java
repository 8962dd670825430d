/**
 * The YAML configuration: {@code ConfigLoader} reads a file (with {@code ${ENV_VAR}} interpolation and secrets from
 * files) into {@code BinrelayConfig}, checking every key against its bounds (the applier's from the engine's
 * {@code ApplierSettings}) and naming the key, with a did-you-mean for a misspelt one, in every error; the filter
 * section and the multi-source channels' inheritance from the top level.
 */
package dev.binrelay.cli.config;
