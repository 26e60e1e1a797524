package dev.upfront.library.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.library.search.Expr.And;
import dev.upfront.library.search.Expr.Comparison;
import dev.upfront.library.search.Expr.Op;
import dev.upfront.library.search.Expr.Or;
import dev.upfront.library.search.Expr.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SearchQueryParser} alone: the tree it builds for each construct, and where it says a query is wrong. */
class SearchQueryParserTest {

    private static Comparison cmp(String field, Op op, Value... values) {
        return new Comparison(field, op, List.of(values));
    }

    private static Value q(String text) {
        return new Value(text, true);
    }

    private static Value bare(String text) {
        return new Value(text, false);
    }

    private static Expr parse(String query) {
        return SearchQueryParser.parse(query);
    }

    private static void assertError(String query, String message) {
        assertThatThrownBy(() -> parse(query))
                .isInstanceOf(SearchQueryParser.SyntaxError.class)
                .hasMessage(message);
    }

    // --- operators -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "width = 100    | EQ",
            "width != 100   | NOT_EQ",
            "width NOT = 100| NOT_EQ",
            "width > 100    | GT",
            "width >= 100   | GTE",
            "width < 100    | LT",
            "width <= 100   | LTE",
            "width : 100    | PREFIX",
    })
    void eachSingleValueOperator(String query, Op op) {
        assertThat(parse(query)).isEqualTo(cmp("width", op, bare("100")));
    }

    @Test
    void operatorsNeedNoSpaceAround() {
        assertThat(parse("width>=100")).isEqualTo(cmp("width", Op.GTE, bare("100")));
        assertThat(parse("width<=100")).isEqualTo(cmp("width", Op.LTE, bare("100")));
        assertThat(parse("width!=100")).isEqualTo(cmp("width", Op.NOT_EQ, bare("100")));
        assertThat(parse("name:\"ab\"")).isEqualTo(cmp("name", Op.PREFIX, q("ab")));
        assertThat(parse("tags IN[\"a\"]")).isEqualTo(cmp("tags", Op.IN, q("a")));
    }

    @Test
    void inTakesAList() {
        assertThat(parse("tags IN [\"summer-sale\", \"banner\"]"))
                .isEqualTo(cmp("tags", Op.IN, q("summer-sale"), q("banner")));
    }

    @Test
    void notInTakesAList() {
        assertThat(parse("tags NOT IN [\"a\"]")).isEqualTo(cmp("tags", Op.NOT_IN, q("a")));
        assertThat(parse("tags   NOT    IN   [ \"a\" ,\"b\" ]")).isEqualTo(cmp("tags", Op.NOT_IN, q("a"), q("b")));
    }

    @Test
    void listsMayMixStringsNumbersAndBooleans() {
        assertThat(parse("\"customMetadata.mix\" IN [\"luxury\", 500, true, 1.5, -3]"))
                .isEqualTo(cmp("customMetadata.mix", Op.IN, q("luxury"), bare("500"), bare("true"), bare("1.5"), bare("-3")));
    }

    @Test
    void aListOfOneHundredValuesIsAccepted() {
        String values = String.join(",", java.util.Collections.nCopies(100, "\"x\""));
        assertThat(((Comparison) parse("tags IN [" + values + "]")).values()).hasSize(100);
    }

    // --- values ----------------------------------------------------------------------------------------------------

    @Test
    void bareValuesKeepTheirText() {
        assertThat(parse("width > 500")).isEqualTo(cmp("width", Op.GT, bare("500")));
        assertThat(parse("size < 1.5")).isEqualTo(cmp("size", Op.LT, bare("1.5")));
        assertThat(parse("createdAt < 2d")).isEqualTo(cmp("createdAt", Op.LT, bare("2d")));
        assertThat(parse("createdAt < 2020-01-01")).isEqualTo(cmp("createdAt", Op.LT, bare("2020-01-01")));
        assertThat(parse("private = true")).isEqualTo(cmp("private", Op.EQ, bare("true")));
        assertThat(parse("\"customMetadata.n\" > -2")).isEqualTo(cmp("customMetadata.n", Op.GT, bare("-2")));
    }

    @Test
    void unquotedDateTimesMayHoldColons() {
        assertThat(parse("createdAt < 2020-01-01T10:20:30")).isEqualTo(cmp("createdAt", Op.LT, bare("2020-01-01T10:20:30")));
        assertThat(parse("createdAt < 2020-01-01T10:20:30Z AND width > 1"))
                .isEqualTo(new And(List.of(cmp("createdAt", Op.LT, bare("2020-01-01T10:20:30Z")), cmp("width", Op.GT, bare("1")))));
    }

    @Test
    void doubleAndSingleQuotedStrings() {
        assertThat(parse("name = \"red dress.jpg\"")).isEqualTo(cmp("name", Op.EQ, q("red dress.jpg")));
        assertThat(parse("name = 'red dress.jpg'")).isEqualTo(cmp("name", Op.EQ, q("red dress.jpg")));
        assertThat(parse("name = 'say \"hi\"'")).isEqualTo(cmp("name", Op.EQ, q("say \"hi\"")));
        assertThat(parse("name = \"it's\"")).isEqualTo(cmp("name", Op.EQ, q("it's")));
        assertThat(parse("name = \"\"")).isEqualTo(cmp("name", Op.EQ, q("")));
    }

    @Test
    void quotedStringsKeepKeywordsOperatorsAndBracketsAsText() {
        assertThat(parse("name = \"a AND b OR (c) = [d]\"")).isEqualTo(cmp("name", Op.EQ, q("a AND b OR (c) = [d]")));
    }

    @Test
    void backslashEscapesTheNextCharacter() {
        assertThat(parse("name = \"say \\\"hi\\\"\"")).isEqualTo(cmp("name", Op.EQ, q("say \"hi\"")));
        assertThat(parse("name = 'it\\'s'")).isEqualTo(cmp("name", Op.EQ, q("it's")));
        assertThat(parse("name = \"a\\\\b\"")).isEqualTo(cmp("name", Op.EQ, q("a\\b")));
        assertThat(parse("name = \"\\n\"")).isEqualTo(cmp("name", Op.EQ, q("n")));
    }

    @Test
    void quotedValuesAreMarkedQuoted() {
        assertThat(((Comparison) parse("size > \"100\"")).values().getFirst().quoted()).isTrue();
        assertThat(((Comparison) parse("size > 100")).values().getFirst().quoted()).isFalse();
    }

    // --- field names -----------------------------------------------------------------------------------------------

    @Test
    void quotedFieldNames() {
        assertThat(parse("\"customMetadata.brand\" = \"acme\"")).isEqualTo(cmp("customMetadata.brand", Op.EQ, q("acme")));
        assertThat(parse("'customMetadata.brand' : \"ac\"")).isEqualTo(cmp("customMetadata.brand", Op.PREFIX, q("ac")));
        assertThat(parse("\"embeddedMetadata.Keywords\" IN [\"x\"]")).isEqualTo(cmp("embeddedMetadata.Keywords", Op.IN, q("x")));
        assertThat(parse("\"name\" = \"x\"")).isEqualTo(cmp("name", Op.EQ, q("x")));
    }

    @Test
    void bareFieldNamesMayHoldDotsDashesAndUnderscores() {
        assertThat(parse("customMetadata.my_key-2 = 1")).isEqualTo(cmp("customMetadata.my_key-2", Op.EQ, bare("1")));
    }

    // --- AND / OR / parentheses ------------------------------------------------------------------------------------

    @Test
    void andBindsTighterThanOr() {
        Comparison a = cmp("a", Op.EQ, bare("1"));
        Comparison b = cmp("b", Op.EQ, bare("2"));
        Comparison c = cmp("c", Op.EQ, bare("3"));
        assertThat(parse("a = 1 OR b = 2 AND c = 3")).isEqualTo(new Or(List.of(a, new And(List.of(b, c)))));
        assertThat(parse("a = 1 AND b = 2 OR c = 3")).isEqualTo(new Or(List.of(new And(List.of(a, b)), c)));
    }

    @Test
    void chainsOfOneKeywordAreFlat() {
        Comparison a = cmp("a", Op.EQ, bare("1"));
        Comparison b = cmp("b", Op.EQ, bare("2"));
        Comparison c = cmp("c", Op.EQ, bare("3"));
        assertThat(parse("a = 1 AND b = 2 AND c = 3")).isEqualTo(new And(List.of(a, b, c)));
        assertThat(parse("a = 1 OR b = 2 OR c = 3")).isEqualTo(new Or(List.of(a, b, c)));
    }

    @Test
    void parenthesesGroup() {
        Comparison a = cmp("a", Op.EQ, bare("1"));
        Comparison b = cmp("b", Op.EQ, bare("2"));
        Comparison c = cmp("c", Op.EQ, bare("3"));
        assertThat(parse("(a = 1 OR b = 2) AND c = 3")).isEqualTo(new And(List.of(new Or(List.of(a, b)), c)));
        assertThat(parse("a = 1 AND (b = 2 OR c = 3)")).isEqualTo(new And(List.of(a, new Or(List.of(b, c)))));
        assertThat(parse("((a = 1))")).isEqualTo(a);
        assertThat(parse("(a=1)AND(b=2)")).isEqualTo(new And(List.of(a, b)));
    }

    @Test
    void theDocsExample() {
        assertThat(parse("(size < \"1mb\" AND width > 500) OR (tags IN [\"summer-sale\",\"banner\"])")).isEqualTo(new Or(List.of(
                new And(List.of(cmp("size", Op.LT, q("1mb")), cmp("width", Op.GT, bare("500")))),
                cmp("tags", Op.IN, q("summer-sale"), q("banner")))));
    }

    @Test
    void twentyLevelsOfParenthesesAreAccepted() {
        String query = "(".repeat(20) + "a = 1" + ")".repeat(20);
        assertThat(parse(query)).isEqualTo(cmp("a", Op.EQ, bare("1")));
    }

    @Test
    void keywordsAreCaseInsensitive() {
        Comparison a = cmp("a", Op.EQ, bare("1"));
        Comparison b = cmp("b", Op.IN, q("x"));
        Comparison c = cmp("c", Op.NOT_IN, q("y"));
        Comparison d = cmp("d", Op.NOT_EQ, bare("2"));
        Expr expected = new Or(List.of(new And(List.of(a, b)), new And(List.of(c, d))));
        assertThat(parse("a = 1 AND b IN [\"x\"] OR c NOT IN [\"y\"] AND d NOT = 2")).isEqualTo(expected);
        assertThat(parse("a = 1 and b in [\"x\"] or c not in [\"y\"] and d not = 2")).isEqualTo(expected);
        assertThat(parse("a = 1 aNd b In [\"x\"] Or c NoT iN [\"y\"] AnD d nOt = 2")).isEqualTo(expected);
    }

    @Test
    void whitespaceAroundEverythingIsIgnored() {
        assertThat(parse("  \t( a\n=\r\n1 )  ")).isEqualTo(cmp("a", Op.EQ, bare("1")));
    }

    // --- errors, each with its 1-based position --------------------------------------------------------------------

    @Test
    void unterminatedString() {
        assertError("name = \"abc", "unterminated string at position 12");
        assertError("name = 'abc\"", "unterminated string at position 13");
        assertError("name = \"abc\\\"", "unterminated string at position 14");
        assertError("\"customMetadata.brand = 1", "unterminated string at position 26");
    }

    @Test
    void missingValue() {
        assertError("name = ", "expected a value at position 8");
        assertError("name =", "expected a value at position 7");
        assertError("width > )", "expected a value at position 9");
    }

    @Test
    void missingFieldName() {
        assertError("", "expected a field name at position 1");
        assertError("= 1", "expected a field name at position 1");
        assertError("name = \"a\" AND", "expected a field name at position 15");
        assertError("name = \"a\" OR ", "expected a field name at position 15");
        assertError("()", "expected a field name at position 2");
    }

    @Test
    void unknownOperator() {
        assertError("name ~ \"x\"", "expected an operator (=, !=, >, >=, <, <=, :, IN, NOT IN, HAS, EXISTS, NOT EXISTS) at position 6");
        assertError("name == \"x\"", "expected a value at position 7");
        assertError("name", "expected an operator (=, !=, >, >=, <, <=, :, IN, NOT IN, HAS, EXISTS, NOT EXISTS) at position 5");
        assertError("name LIKE \"x\"", "expected an operator (=, !=, >, >=, <, <=, :, IN, NOT IN, HAS, EXISTS, NOT EXISTS) at position 6");
        assertError("tags INSIDE [\"x\"]", "expected an operator (=, !=, >, >=, <, <=, :, IN, NOT IN, HAS, EXISTS, NOT EXISTS) at position 6");
    }

    @Test
    void notNeedsInExistsOrEquals() {
        assertError("name NOT \"x\"", "expected IN, EXISTS or = after NOT at position 10");
        assertError("name NOT > 1", "expected IN, EXISTS or = after NOT at position 10");
    }

    @Test
    void hasTakesOneValue() {
        assertThat(parse("name HAS \"red dress\"")).isEqualTo(new Expr.Comparison("name", Op.HAS, List.of(new Expr.Value("red dress", true))));
        assertThat(parse("name has 'x'")).isEqualTo(new Expr.Comparison("name", Op.HAS, List.of(new Expr.Value("x", true))));
        assertError("name HAS", "expected a value at position 9");
    }

    @Test
    void existsAndNotExistsTakeNoValue() {
        assertThat(parse("tags EXISTS")).isEqualTo(new Expr.Comparison("tags", Op.EXISTS, List.of()));
        assertThat(parse("\"customMetadata.brand\" not exists AND tags EXISTS")).isEqualTo(new Expr.And(List.of(
                new Expr.Comparison("customMetadata.brand", Op.NOT_EXISTS, List.of()), new Expr.Comparison("tags", Op.EXISTS, List.of()))));
        assertThat(parse("(tags EXISTS)")).isEqualTo(new Expr.Comparison("tags", Op.EXISTS, List.of()));
        assertError("tags EXISTS \"x\"", "unexpected '\"' at position 13");
        assertError("tags EXISTSX", "expected an operator (=, !=, >, >=, <, <=, :, IN, NOT IN, HAS, EXISTS, NOT EXISTS) at position 6");
    }

    @Test
    void inNeedsABracketedList() {
        assertError("tags IN \"x\"", "expected '[' after IN at position 9");
        assertError("tags NOT IN x", "expected '[' after IN at position 13");
        assertError("tags IN [\"a\" \"b\"]", "expected ',' or ']' at position 14");
        assertError("tags IN [\"a\",", "expected a value at position 14");
        assertError("tags IN [\"a\"", "expected ',' or ']' at position 13");
        assertError("tags IN []", "expected a value at position 10");
    }

    @Test
    void tooManyValuesInAList() {
        String values = String.join(",", java.util.Collections.nCopies(101, "\"x\""));
        assertThatThrownBy(() -> parse("tags IN [" + values + "]")).hasMessageStartingWith("more than 100 values in a list at position ");
    }

    @Test
    void tooDeepNesting() {
        assertError("(".repeat(21) + "a = 1" + ")".repeat(21), "parentheses nested too deep at position 21");
        assertError("a = 1 OR " + "(".repeat(30) + "a = 1" + ")".repeat(30), "parentheses nested too deep at position 30");
    }

    @Test
    void unbalancedParentheses() {
        assertError("(name = \"a\"", "expected ')' at position 12");
        assertError("((name = \"a\")", "expected ')' at position 14");
        assertError("(name = \"a\" AND (width > 1)", "expected ')' at position 28");
        assertError("name = \"a\")", "unexpected ')' at position 11");
        assertError("(name = \"a\"))", "unexpected ')' at position 13");
        assertError(")", "expected a field name at position 1");
    }

    @Test
    void trailingGarbage() {
        assertError("name = \"a\" \"b\"", "unexpected '\"' at position 12");
        assertError("name = \"a\" ANDwidth > 1", "unexpected 'A' at position 12");
        assertError("name = \"a\" width > 1", "unexpected 'w' at position 12");
    }

    @Test
    void tooLongQuery() {
        assertThatThrownBy(() -> parse("name = \"" + "x".repeat(5000) + "\""))
                .isInstanceOf(SearchQueryParser.SyntaxError.class)
                .hasMessage("the query is longer than 4096 characters");
    }
}
