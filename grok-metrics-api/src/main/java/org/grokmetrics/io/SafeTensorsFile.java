package org.grokmetrics.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import org.grokmetrics.api.Tensor;

/**
 * An open safetensors file: the validated {@link SafeTensorsHeader} and tensor-by-tensor reads with
 * positioned reads ({@link FileChannel#read(ByteBuffer, long)}) through a buffer of at most
 * {@value #CHUNK_BYTES} bytes, so a tensor of any size can be streamed ({@link #forEachChunk}) with a
 * fixed heap, and a tensor that fits a Java array is read into one ({@link #readFloats}). Offsets and
 * sizes are {@code long} throughout (files and tensors past 2 GB).
 *
 * <p>Thread-safe: reads of different tensors may run concurrently (positioned reads do not move a
 * shared position). {@link #close()} closes the channel.
 */
public final class SafeTensorsFile implements Closeable {

    /** The largest single read (1 MiB). */
    public static final int CHUNK_BYTES = 1 << 20;

    private final String source;
    private final Source src;
    private final SafeTensorsHeader header;

    /** Receives consecutive pieces of a tensor's values, in row-major order. */
    @FunctionalInterface
    public interface ChunkConsumer {
        /**
         * @param values buffer holding the piece in {@code [0, count)} (reused between calls)
         * @param first  flat index of {@code values[0]} within the tensor
         * @param count  number of values in this piece
         */
        void accept(float[] values, long first, int count);
    }

    private SafeTensorsFile(String source, Source src) throws IOException {
        this.source = source;
        this.src = src;
        long size = src.size();
        long length = SafeTensorsHeader.checkLength(source, size < 8 ? 0 : readLength(), size);
        ByteBuffer json = ByteBuffer.allocate((int) length);
        read(json, 8);
        this.header = SafeTensorsHeader.parse(source, json.array(), size);
    }

    private long readLength() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        read(b, 0);
        return b.flip().getLong();
    }

    /**
     * Opens a file and validates its header (the data is read later, tensor by tensor).
     *
     * @param file the safetensors file (not null)
     * @return the open reader; close it to release the file
     * @throws IOException          if the file cannot be read
     * @throws NoSuchFileException  if the file does not exist
     * @throws SafeTensorsException if it is not a valid safetensors file
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(SafeTensors.printable(file.toString()), null, "no such weights file");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafeTensorsFile(file.toString(), new ChannelSource(ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The same over an in-memory file image; {@code source} names it in messages.
     *
     * @param image  the bytes of a safetensors file (copied)
     * @param source the name used in messages
     * @return the reader
     * @throws SafeTensorsException if it is not a valid safetensors image
     * @throws IOException          as {@link #open(Path)}
     */
    public static SafeTensorsFile of(byte[] image, String source) throws IOException {
        return new SafeTensorsFile(source, new ArraySource(image.clone()));
    }

    /**
     * The validated header: tensors in data-offset order, metadata, sizes.
     *
     * @return the header
     */
    public SafeTensorsHeader header() {
        return header;
    }

    /**
     * The name given in messages (the path, or the in-memory image's name).
     *
     * @return the name
     */
    public String source() {
        return source;
    }

    /**
     * Streams a floating tensor's values as float32, {@code CHUNK_BYTES} of the file at a time; works
     * for any size.
     *
     * @param e        an entry of {@link #header()}
     * @param consumer receives each chunk's values, the index of its first element and its count, in order
     * @throws SafeTensorsException if the dtype is not floating ({@link SafeTensorsDtype#isFloating()})
     *                              or the file changed under the reader
     * @throws IOException          if the file cannot be read
     */
    public void forEachChunk(SafeTensorsEntry e, ChunkConsumer consumer) throws IOException {
        requireFloating(e);
        int width = e.dtype().bytes();
        long total = e.elements();
        int perChunk = (int) Math.min(CHUNK_BYTES / width, total);
        if (total == 0) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(perChunk * width).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[perChunk];
        for (long first = 0; first < total; first += perChunk) {
            int n = (int) Math.min(perChunk, total - first);
            buf.clear().limit(n * width);
            read(buf, header.dataStart() + e.begin() + first * width);
            buf.flip();
            e.dtype().decode(buf, values, 0, n);
            consumer.accept(values, first, n);
        }
    }

    /**
     * A floating tensor's values as float32, in one array.
     *
     * @param e an entry of {@link #header()}
     * @return the values, row-major
     * @throws SafeTensorsException naming the tensor if the dtype is not floating or it has more
     *                              elements than a Java array holds (stream it with {@link #forEachChunk})
     * @throws IOException          if the file cannot be read
     */
    public float[] readFloats(SafeTensorsEntry e) throws IOException {
        requireFloating(e);
        if (e.elements() > SafeTensorsEntry.MAX_ARRAY_ELEMENTS) {
            throw new SafeTensorsException(SafeTensors.printable(source) + ": tensor " + SafeTensorsHeader.quoted(e.name())
                    + " has " + e.elements() + " elements, more than a Java array holds ("
                    + SafeTensorsEntry.MAX_ARRAY_ELEMENTS + "); it can only be streamed");
        }
        float[] out = new float[(int) e.elements()];
        forEachChunk(e, (values, first, count) -> System.arraycopy(values, 0, out, (int) first, count));
        return out;
    }

    /**
     * A tensor's raw bytes as stored (little-endian), any dtype.
     *
     * @param e an entry of {@link #header()}
     * @return the stored bytes
     * @throws SafeTensorsException naming the tensor if it has more bytes than a Java array holds
     * @throws IOException          if the file cannot be read
     */
    public byte[] readBytes(SafeTensorsEntry e) throws IOException {
        if (e.byteLength() > SafeTensorsEntry.MAX_ARRAY_ELEMENTS) {
            throw new SafeTensorsException(SafeTensors.printable(source) + ": tensor " + SafeTensorsHeader.quoted(e.name())
                    + " has " + e.byteLength() + " bytes, more than a Java array holds ("
                    + SafeTensorsEntry.MAX_ARRAY_ELEMENTS + ")");
        }
        byte[] out = new byte[(int) e.byteLength()];
        for (int off = 0; off < out.length; off += CHUNK_BYTES) {
            read(ByteBuffer.wrap(out, off, Math.min(CHUNK_BYTES, out.length - off)), header.dataStart() + e.begin() + off);
        }
        return out;
    }

    /**
     * The tensor as a float32 {@link Tensor}.
     *
     * @param e an entry of {@link #header()}
     * @return the tensor, named and shaped as the entry
     * @throws SafeTensorsException naming the tensor and the reason if it cannot be one
     *                              ({@link SafeTensorsEntry#notReadableReason()})
     * @throws IOException          if the file cannot be read
     */
    public Tensor readTensor(SafeTensorsEntry e) throws IOException {
        var reason = e.notReadableReason();
        if (reason.isPresent()) {
            throw new SafeTensorsException(SafeTensors.printable(source) + ": tensor "
                    + SafeTensorsHeader.quoted(e.name()) + ": " + reason.get());
        }
        return Tensor.adopting(e.name(), e.intShape().orElseThrow(), readFloats(e));
    }

    private void requireFloating(SafeTensorsEntry e) throws SafeTensorsException {
        var reason = e.dtype().notFloatingReason();
        if (reason.isPresent()) {
            throw new SafeTensorsException(SafeTensors.printable(source) + ": tensor "
                    + SafeTensorsHeader.quoted(e.name()) + ": " + reason.get());
        }
    }

    private void read(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = src.read(dst, pos);
            if (n < 0) {
                throw new SafeTensorsException(SafeTensors.printable(source) + ": unexpected end of file at byte " + pos
                        + " (the file changed while it was read?)");
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        src.close();
    }

    private interface Source extends Closeable {
        long size() throws IOException;

        /** Like {@link FileChannel#read(ByteBuffer, long)}: bytes read, or -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;
    }

    private record ChannelSource(FileChannel ch) implements Source {
        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private record ArraySource(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            return n;
        }

        @Override
        public void close() {
        }
    }
}
