package dev.drover.workflow;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

import java.lang.invoke.MethodType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;

/** The types of step inputs and outputs, as Jackson sees them, and the one rule of which output fits which input. */
final class Types {
    private static final TypeFactory FACTORY = TypeFactory.createDefaultInstance();

    private Types() {
    }

    static JavaType of(Class<?> type) {
        return FACTORY.constructType(box(type));
    }

    static JavaType of(TypeReference<?> type) {
        return FACTORY.constructType(type);
    }

    static JavaType of(Type type) {
        return type instanceof Class<?> c ? of(c) : FACTORY.constructType(type);
    }

    static JavaType listOf(JavaType element) {
        return FACTORY.constructCollectionType(List.class, element);
    }

    static JavaType collectionOf(JavaType element) {
        return FACTORY.constructCollectionType(Collection.class, element);
    }

    /** int → Integer and so on; other classes unchanged. */
    static Class<?> box(Class<?> type) {
        return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
    }

    /**
     * Whether a value of type {@code output} may be passed where {@code input} is declared: {@code input} is Object,
     * or a supertype of {@code output} whose type parameters (if it declares any) each fit the same way.
     */
    static boolean fits(JavaType output, JavaType input) {
        if (input.hasRawClass(Object.class)) return true;
        JavaType asInput = output.findSuperType(input.getRawClass());
        if (asInput == null) return false;
        if (input.containedTypeCount() == 0) return true;
        if (asInput.containedTypeCount() != input.containedTypeCount()) return false;
        for (int i = 0; i < input.containedTypeCount(); i++) {
            if (!fits(asInput.containedType(i), input.containedType(i))) return false;
        }
        return true;
    }

    /** The element type when {@code type} is a collection, else null. */
    static JavaType elementOf(JavaType type) {
        JavaType collection = type.findSuperType(Collection.class);
        if (collection == null) return null;
        return collection.containedTypeCount() == 1 ? collection.containedType(0) : FACTORY.constructType(Object.class);
    }

    /** A short, readable name: {@code List<Line>} rather than {@code java.util.List<com.example.Line>}. */
    static String describe(JavaType type) {
        StringBuilder sb = new StringBuilder(type.getRawClass().getSimpleName());
        if (type.containedTypeCount() > 0) {
            sb.append('<');
            for (int i = 0; i < type.containedTypeCount(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(describe(type.containedType(i)));
            }
            sb.append('>');
        }
        return sb.toString();
    }
}
