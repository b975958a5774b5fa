package org.grokmetrics.examples.train;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a configuration record from a JSON file field by field, so that every error is one line naming the
 * file and the field: the file must hold one JSON object with exactly the record's components; an
 * {@code int} or {@code long} field must be an integral number in its type's range ({@code "steps": 2.7}
 * is rejected, {@code 2.0} is 2), a {@code double} a number, a {@code boolean} true or false, a
 * {@code String} a string; then the record's constructor validates the values (its message is kept).
 */
public final class ConfigFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFiles() {
    }

    /**
     * The record of type {@code type} that {@code file} describes.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException (one line, starting with the file's name) if it is not a valid configuration
     */
    public static <R extends Record> R read(Path file, Class<R> type) throws IOException {
        return read(file, type, Set.of());
    }

    /**
     * As {@link #read(Path, Class)}, but the {@code String} fields named in {@code optional} may be absent: the
     * constructor then receives null and chooses the default (fields added after files were written).
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException (one line, starting with the file's name) if it is not a valid configuration
     */
    public static <R extends Record> R read(Path file, Class<R> type, Set<String> optional) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(file + ": not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + oneLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException(file + ": empty; expected a JSON object of settings");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object of settings, found " + describe(root));
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> known = new LinkedHashSet<>();
        for (RecordComponent c : components) {
            known.add(c.getName());
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(file + ": unknown field '" + oneLine(name) + "'; known: "
                        + String.join(", ", known));
            }
        }
        List<Object> args = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            JsonNode v = root.get(c.getName());
            if (v == null && optional.contains(c.getName()) && c.getType() == String.class) {
                args.add(null);
                continue;
            }
            if (v == null) {
                throw new IllegalArgumentException(file + ": missing field '" + c.getName() + "'");
            }
            args.add(value(file, c.getName(), c.getType(), v));
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args.toArray());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException(file + ": " + iae.getMessage(), iae);
            }
            throw new IllegalStateException(file + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static Object value(Path file, String field, Class<?> type, JsonNode v) {
        String where = file + ": field '" + field + "'";
        if (type == String.class) {
            if (!v.isTextual()) {
                throw new IllegalArgumentException(where + " must be a string, found " + describe(v));
            }
            return v.textValue();
        }
        if (type == boolean.class) {
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(where + " must be true or false, found " + describe(v));
            }
            return v.booleanValue();
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + " must be a number, found " + describe(v));
        }
        if (type == double.class) {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(where + " must be a finite number, was " + v.asText());
            }
            return d;
        }
        long max = type == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
        long min = type == int.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
        boolean integral = v.isIntegralNumber()
                || Double.isFinite(v.doubleValue()) && v.decimalValue().stripTrailingZeros().scale() <= 0;
        if (!integral) {
            throw new IllegalArgumentException(where + " must be an integer, was " + v.asText());
        }
        java.math.BigInteger b = v.decimalValue().toBigInteger();
        if (b.compareTo(java.math.BigInteger.valueOf(min)) < 0 || b.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(where + " must be an integer in [" + min + ", " + max + "], was "
                    + v.asText());
        }
        return type == int.class ? (Object) b.intValue() : (Object) b.longValue();
    }

    private static String describe(JsonNode v) {
        String kind = v.isTextual() ? "the string " : v.isNull() ? "" : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " ";
        String text = v.isNull() ? "null" : v.toString();
        return kind + (text.length() > 40 ? text.substring(0, 40) + "..." : oneLine(text));
    }

    /** Control characters (line breaks included) replaced by a space: messages stay on one line. */
    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}+", " ").strip();
    }
}
