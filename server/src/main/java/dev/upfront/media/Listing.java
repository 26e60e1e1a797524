package dev.upfront.media;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import dev.upfront.library.FileQuery;
import dev.upfront.library.Folder;
import dev.upfront.library.Library;
import dev.upfront.library.LibraryFile;
import dev.upfront.library.search.Expr;
import dev.upfront.library.search.SearchQueryParser;
import dev.upfront.upload.Folders;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/files} (reference §5, list and search): validates the parameters, then asks the library for one
 * page. {@code path} is one folder level; {@code searchQuery} (which then replaces {@code type}, {@code tags} and
 * {@code name}) searches the whole library, or below {@code path} when both are given. Folders come before files
 * when both are listed.
 */
public final class Listing {
    /** The query parameters as received (null when absent). */
    public record Request(String type, String sort, String path, String searchQuery, String fileType, String tags,
                          String name, String limit, String skip, String includeFolder) {}

    /** One page: folders and files in order. */
    public record Page(List<Folder> folders, List<LibraryFile> files) {}

    private final Library library;
    private final InstantSource clock;

    public Listing(Library library, InstantSource clock) {
        this.library = library;
        this.clock = clock;
    }

    public Page list(Request r) {
        int limit = intParam("limit", r.limit(), 1000);
        int skip = intParam("skip", r.skip(), 0);
        if (limit < 1) {
            throw invalid("limit", "Minimum value of limit parameter is 1. Value sent is " + limit + ".");
        }
        if (limit > 1000) {
            throw invalid("limit", "Maximum value of limit parameter is 1000. Value sent is " + limit + ".");
        }
        if (skip < 0) {
            throw invalid("skip", "The value of skip parameter should be greater than or equal to 0. Value sent is " + skip + ".");
        }
        String type = r.type() == null ? ("true".equals(r.includeFolder()) ? "all" : "file") : r.type();
        if (!List.of("file", "file-version", "folder", "all").contains(type)) {
            throw invalid("type", "Please provide one of the following: file, file-version, folder, all.");
        }
        String fileType = r.fileType() == null ? "all" : r.fileType();
        if (!List.of("all", "image", "non-image").contains(fileType)) {
            throw invalid("fileType", "Please provide one of the following: all, image, non-image.");
        }
        FileQuery.Sort sort = FileQuery.Sort.CREATED;
        boolean descending = false;
        if (r.sort() != null) {
            String s = r.sort().toUpperCase(Locale.ROOT);
            try {
                descending = s.startsWith("DESC_");
                if (!descending && !s.startsWith("ASC_")) {
                    throw new IllegalArgumentException();
                }
                sort = FileQuery.Sort.valueOf(s.substring(s.indexOf('_') + 1));
            } catch (IllegalArgumentException e) {
                throw invalid("sort", "Use ASC_ or DESC_ followed by NAME, CREATED, UPDATED, HEIGHT, WIDTH or SIZE.");
            }
        }
        String folder = r.path() == null || r.path().isBlank() ? null : Folders.normalize(r.path());
        List<String> tags = r.tags() == null || r.tags().isBlank() ? null
                : Arrays.stream(r.tags().split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        FileQuery.Versions versions = type.equals("file-version") ? FileQuery.Versions.NON_CURRENT : FileQuery.Versions.CURRENT;
        String name = r.name();
        String folderPrefix = folder;
        Expr condition = folder == null ? null : new Expr.Comparison("path", Expr.Op.EQ, List.of(new Expr.Value(folder, true)));
        if (r.searchQuery() != null && !r.searchQuery().isBlank()) {
            // searchQuery replaces type, tags and name, and searches below path rather than in it.
            try {
                Expr expr = SearchQueryParser.parse(r.searchQuery());
                condition = expr;
                versions = mentionsType(expr) ? FileQuery.Versions.ANY : FileQuery.Versions.CURRENT;
            } catch (SearchQueryParser.SyntaxError e) {
                throw new ApiException(ErrorCode.INVALID_SEARCH_QUERY, e.getMessage());
            }
            type = "file";
            tags = null;
            name = null;
        }

        List<Folder> folders = List.of();
        int folderTotal = 0;
        if (type.equals("folder") || type.equals("all")) {
            folderTotal = library.countFolders(folder, name);
            folders = library.listFolders(folder, name, limit, skip);
        }
        List<LibraryFile> files = List.of();
        int fileLimit = limit - folders.size();
        if (!type.equals("folder") && fileLimit > 0) {
            FileQuery q = new FileQuery(versions, folderPrefix, fileType.equals("all") ? null : fileType, tags, name, condition,
                    clock.instant(), sort, descending, fileLimit, Math.max(0, skip - folderTotal));
            try {
                files = library.listFiles(q);
            } catch (SearchQueryParser.SyntaxError e) { // an unknown field, or an operator the field lacks
                throw new ApiException(ErrorCode.INVALID_SEARCH_QUERY, e.getMessage());
            }
        }
        return new Page(folders, files);
    }

    private static boolean mentionsType(Expr e) {
        return switch (e) {
            case Expr.And and -> and.terms().stream().anyMatch(Listing::mentionsType);
            case Expr.Or or -> or.terms().stream().anyMatch(Listing::mentionsType);
            case Expr.Comparison c -> c.field().equals("type");
        };
    }


    private static int intParam(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(name, "It must be a whole number.");
        }
    }

    private static ApiException invalid(String name, String why) {
        return new ApiException(ErrorCode.INVALID_PARAMETER, name, why);
    }
}
