package org.pvlifecycle.eventstore;

/**
 * A list of values as the rows of a native query: {@code (values (cast(:v0 as uuid)), (cast(:v1
 * as uuid))) as ids (id)}, each value a parameter of its own. Hibernate expands a collection
 * parameter only where {@code in (...)} takes it; these lists are read as rows, to insert them or
 * to lock them in an order of the query's choosing.
 */
public final class SqlValues {

    /** {@code count} rows of one column {@code column} of SQL type {@code type}, named {@code alias}. */
    public static String rows(String alias, String column, String type, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a values list has at least one row");
        }
        StringBuilder sql = new StringBuilder("(values ");
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "" : ", ").append("(cast(:").append(parameter(i)).append(" as ").append(type).append("))");
        }
        return sql.append(") as ").append(alias).append(" (").append(column).append(')').toString();
    }

    /** The name of the parameter of the row at {@code index}. */
    public static String parameter(int index) {
        return "v" + index;
    }

    private SqlValues() {
    }
}
