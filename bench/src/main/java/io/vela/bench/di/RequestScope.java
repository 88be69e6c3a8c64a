package io.vela.bench.di;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import jakarta.inject.Scope;

/** The request scope annotation Dagger ({@link RequestComponent}) and Guice ({@link GuiceRequestScope}) use. */
@Scope
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface RequestScope {
}
