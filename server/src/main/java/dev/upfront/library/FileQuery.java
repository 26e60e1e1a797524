package dev.upfront.library;

import dev.upfront.library.search.Expr;
import java.time.Instant;
import java.util.List;

/**
 * What a listing asks of the files: which versions, where, filters, order, page. Built and validated by the media
 * API layer; {@link Library#listFiles} executes it (and compiles {@code search}, the one part it checks).
 *
 * @param versions CURRENT (type=file), NON_CURRENT (type=file-version) or ANY (left to the search condition)
 * @param folderPrefix '/a/' to keep files in that folder and below; null for the whole library
 * @param fileType 'image', 'non-image', or null for all
 * @param anyOfTags files with at least one of these tags; null for no tag filter
 * @param search a parsed searchQuery (each implementation compiles it for its database), or null; an unknown
 *     field or an unsupported operator makes {@link Library#listFiles} throw
 *     {@link dev.upfront.library.search.SearchQueryParser.SyntaxError}
 * @param now the instant relative ages in {@code search} ({@code createdAt > "7d"}) count back from
 */
public record FileQuery(
        Versions versions,
        String folderPrefix,
        String fileType,
        List<String> anyOfTags,
        String name,
        Expr search,
        Instant now,
        Sort sort,
        boolean descending,
        int limit,
        int skip) {

    public enum Versions { CURRENT, NON_CURRENT, ANY }

    public enum Sort { NAME, CREATED, UPDATED, HEIGHT, WIDTH, SIZE }
}
