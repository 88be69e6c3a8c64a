package io.vela.http.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.vela.engine.VelaConfigException;
import io.vela.http.HttpTransport;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/** Picks a Netty transport: what was asked for, or for AUTO the first available of io_uring, epoll, NIO. */
final class Transports {
    private Transports() {
    }

    static HttpTransport resolve(HttpTransport asked) {
        switch (asked) {
            case AUTO:
                if (available(HttpTransport.IO_URING)) {
                    return HttpTransport.IO_URING;
                }
                return available(HttpTransport.EPOLL) ? HttpTransport.EPOLL : HttpTransport.NIO;
            case NIO:
                return asked;
            default:
                if (!available(asked)) {
                    throw new VelaConfigException(List.of("http.transport = " + name(asked)
                            + " is invalid: not available here (" + cause(asked) + "); valid: auto, nio"
                            + (available(HttpTransport.EPOLL) ? ", epoll" : "")));
                }
                return asked;
        }
    }

    private static String name(HttpTransport t) {
        return t.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static boolean available(HttpTransport t) {
        try {
            switch (t) {
                case IO_URING:
                    return IoUring.isAvailable();
                case EPOLL:
                    return Epoll.isAvailable();
                default:
                    return true;
            }
        } catch (Throwable e) { // LinkageError when the native part is missing
            return false;
        }
    }

    private static String cause(HttpTransport t) {
        Throwable c = t == HttpTransport.IO_URING ? IoUring.unavailabilityCause() : Epoll.unavailabilityCause();
        return c == null ? "unknown" : c.toString();
    }

    static MultiThreadIoEventLoopGroup group(HttpTransport t, int threads, ThreadFactory factory) {
        IoHandlerFactory f = switch (t) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, factory, f);
    }

    static Class<? extends ServerChannel> serverChannel(HttpTransport t) {
        return switch (t) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }
}
