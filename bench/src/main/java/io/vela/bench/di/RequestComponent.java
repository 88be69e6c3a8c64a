package io.vela.bench.di;

import dagger.Subcomponent;

/** Dagger subcomponent with the custom {@link RequestScope}: one instance of {@link Model.RequestData} per subcomponent. */
@RequestScope
@Subcomponent
public interface RequestComponent {
    /** @return the request's data */
    Model.RequestData data();
}
