package io.vela.di.internal;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates, for one hot transient constructor binding, a hidden class whose single method does what hand-written
 * code would: {@code new Root(new Mid(new Leaf1(), new Leaf2()), new Side())}, inlining every transient constructor
 * binding below it that is accessible from the root's package, and calling {@link Node#get} for the rest
 * (singletons, scoped bindings, providers, multibindings). The JIT then sees one straight-line method.
 *
 * <p>Runs once per binding, on the thread whose call crosses {@link Nodes#TIER_UP_CALLS}; returns {@code null}
 * (the binding keeps its method handle) if the root cannot be compiled. The class is a hidden nestmate of the root
 * class, defined through {@link MethodHandles#privateLookupIn}, so it can be unloaded with it.
 */
final class GraphCompiler {
    /** Upper bound on constructors inlined into one generated method (keeps it small enough for the JIT to inline). */
    static final int MAX_INLINED = 24;

    private static final String NODE = "io/vela/di/internal/Node";
    private static final String NODE_GET = "(Lio/vela/di/internal/ScopeImpl;)Ljava/lang/Object;";
    private static final String FACTORY = "io/vela/di/internal/GeneratedFactory";
    private static final String CREATE = "([Lio/vela/di/internal/Node;Lio/vela/di/internal/ScopeImpl;)Ljava/lang/Object;";

    private final Class<?> host;
    private final ClassFileWriter cw = new ClassFileWriter();
    private final ByteArrayOutputStream code = new ByteArrayOutputStream(64);
    private final List<Node> ext = new ArrayList<>();
    private int depth;
    private int maxDepth;
    private int inlined;

    private GraphCompiler(Class<?> host) {
        this.host = host;
    }

    static Node compile(Nodes.CtorNode root) throws ReflectiveOperationException {
        Class<?> host = root.ctor.getDeclaringClass();
        GraphCompiler g = new GraphCompiler(host);
        if (!g.canInline(root)) {
            return null;
        }
        g.emitNew(root);
        g.op(0xB0); // areturn
        String name = host.getPackageName().replace('.', '/') + (host.getPackageName().isEmpty() ? "" : "/")
                + host.getSimpleName() + "$VelaFactory";
        byte[] bytes = g.cw.build(name, FACTORY, "create", CREATE, g.code.toByteArray(), g.maxDepth, 3);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(host, MethodHandles.lookup());
        Class<?> generated = lookup.defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE)
                .lookupClass();
        GeneratedFactory factory;
        try {
            factory = (GeneratedFactory) lookup.findConstructor(generated, MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new ReflectiveOperationException("cannot instantiate the generated factory of " + root.label, t);
        }
        return new Nodes.Compiled(factory, g.ext.toArray(new Node[0]), root.label);
    }

    private boolean canInline(Nodes.CtorNode n) {
        Constructor<?> c = n.ctor;
        Class<?> type = c.getDeclaringClass();
        if (!accessible(type)) {
            return false;
        }
        int mod = c.getModifiers();
        boolean samePackage = samePackage(type);
        if (Modifier.isPrivate(mod)) {
            if (type.getNestHost() != host.getNestHost()) {
                return false;
            }
        } else if (!Modifier.isPublic(mod) && !samePackage) {
            return false;
        }
        for (Class<?> p : c.getParameterTypes()) {
            if (p.isPrimitive() || !accessible(p)) {
                return false;
            }
        }
        return true;
    }

    private boolean samePackage(Class<?> type) {
        return type.getClassLoader() == host.getClassLoader() && type.getPackageName().equals(host.getPackageName());
    }

    private boolean accessible(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || samePackage(type)) {
            return true;
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            return false;
        }
        for (Class<?> outer = type.getDeclaringClass(); outer != null; outer = outer.getDeclaringClass()) {
            if (!Modifier.isPublic(outer.getModifiers())) {
                return false;
            }
        }
        return type.getModule().isExported(type.getPackageName(), host.getModule());
    }

    private void emitNew(Nodes.CtorNode n) {
        inlined++;
        Class<?> type = n.ctor.getDeclaringClass();
        String internal = type.getName().replace('.', '/');
        op(0xBB); // new
        u2(cw.cls(internal));
        push(1);
        op(0x59); // dup
        push(1);
        Class<?>[] params = n.ctor.getParameterTypes();
        StringBuilder desc = new StringBuilder("(");
        for (int i = 0; i < params.length; i++) {
            desc.append(params[i].descriptorString());
            Node dep = n.deps[i];
            if (dep instanceof Nodes.CtorNode && inlined < MAX_INLINED && canInline((Nodes.CtorNode) dep)) {
                emitNew((Nodes.CtorNode) dep);
            } else {
                emitExternal(dep, params[i]);
            }
        }
        desc.append(")V");
        op(0xB7); // invokespecial
        u2(cw.methodRef(internal, "<init>", desc.toString(), false));
        push(-(1 + params.length));
    }

    private void emitExternal(Node dep, Class<?> param) {
        int index = ext.size();
        ext.add(dep);
        op(0x2B); // aload_1 (ext)
        push(1);
        if (index <= 5) {
            op(0x03 + index); // iconst_<n>
        } else if (index <= 127) {
            op(0x10); // bipush
            op(index);
        } else {
            op(0x11); // sipush
            u2(index);
        }
        push(1);
        op(0x32); // aaload
        push(-1);
        op(0x2C); // aload_2 (scope)
        push(1);
        op(0xB6); // invokevirtual Node.get
        u2(cw.methodRef(NODE, "get", NODE_GET, false));
        push(-1);
        if (param != Object.class) {
            op(0xC0); // checkcast
            u2(cw.cls(param.getName().replace('.', '/'))); // arrays: "[Lpkg/T;", as checkcast wants
        }
    }

    private void push(int n) {
        depth += n;
        maxDepth = Math.max(maxDepth, depth);
    }

    private void op(int b) {
        code.write(b);
    }

    private void u2(int v) {
        code.write(v >>> 8);
        code.write(v & 0xFF);
    }
}
