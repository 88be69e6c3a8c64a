package io.vela.di.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal class-file writer for {@link GraphCompiler}: one public final class with a no-arg constructor and one
 * straight-line method (no branches, so no stack map frames are needed). Version 61 (Java 17).
 */
final class ClassFileWriter {
    private final ByteArrayOutputStream poolBytes = new ByteArrayOutputStream();
    private final DataOutputStream pool = new DataOutputStream(poolBytes);
    private final Map<String, Integer> cache = new HashMap<>();
    private int count = 1;

    int utf8(String s) {
        return entry("U" + s, () -> {
            pool.writeByte(1);
            pool.writeUTF(s);
        });
    }

    int cls(String internalName) {
        int name = utf8(internalName);
        return entry("C" + internalName, () -> {
            pool.writeByte(7);
            pool.writeShort(name);
        });
    }

    int methodRef(String owner, String name, String desc, boolean iface) {
        int c = cls(owner);
        int n = utf8(name);
        int d = utf8(desc);
        int nat = entry("N" + name + ":" + desc, () -> {
            pool.writeByte(12);
            pool.writeShort(n);
            pool.writeShort(d);
        });
        return entry((iface ? "I" : "M") + owner + "." + name + desc, () -> {
            pool.writeByte(iface ? 11 : 10);
            pool.writeShort(c);
            pool.writeShort(nat);
        });
    }

    private interface Writer {
        void write() throws IOException;
    }

    private int entry(String key, Writer w) {
        Integer i = cache.get(key);
        if (i != null) {
            return i;
        }
        try {
            w.write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache.put(key, count);
        return count++;
    }

    /**
     * @return the class file: {@code public final class thisName extends Object implements iface}, a public no-arg
     *         constructor and {@code public methodName methodDesc} with the given code
     */
    byte[] build(String thisName, String iface, String methodName, String methodDesc, byte[] code, int maxStack,
                 int maxLocals) {
        int thisCls = cls(thisName);
        int superCls = cls("java/lang/Object");
        int ifaceCls = cls(iface);
        int objInit = methodRef("java/lang/Object", "<init>", "()V", false);
        int codeAttr = utf8("Code");
        int initName = utf8("<init>");
        int initDesc = utf8("()V");
        int mName = utf8(methodName);
        int mDesc = utf8(methodDesc);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + code.length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(61);
            out.writeShort(count);
            pool.flush();
            out.write(poolBytes.toByteArray());
            out.writeShort(0x0001 | 0x0010 | 0x0020); // public final super
            out.writeShort(thisCls);
            out.writeShort(superCls);
            out.writeShort(1);
            out.writeShort(ifaceCls);
            out.writeShort(0); // fields
            out.writeShort(2); // methods
            // <init>: aload_0, invokespecial Object.<init>, return
            out.writeShort(0x0001);
            out.writeShort(initName);
            out.writeShort(initDesc);
            out.writeShort(1);
            out.writeShort(codeAttr);
            out.writeInt(12 + 5);
            out.writeShort(1);
            out.writeShort(1);
            out.writeInt(5);
            out.writeByte(0x2A);
            out.writeByte(0xB7);
            out.writeShort(objInit);
            out.writeByte(0xB1);
            out.writeShort(0);
            out.writeShort(0);
            // the method
            out.writeShort(0x0001);
            out.writeShort(mName);
            out.writeShort(mDesc);
            out.writeShort(1);
            out.writeShort(codeAttr);
            out.writeInt(12 + code.length);
            out.writeShort(maxStack);
            out.writeShort(maxLocals);
            out.writeInt(code.length);
            out.write(code);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(0); // class attributes
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
