/**
 * Dependency-injection container. Stands alone: it does not import {@code io.vela.engine}.
 */
package io.vela.di;
