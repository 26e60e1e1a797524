package dev.upfront.upload.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upfront.error.ApiException;
import dev.upfront.error.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every checks field and operator, passing and failing, on one fixed upload (a 640x480 PNG of 2000 bytes). */
class ChecksTest {
    private static final Map<String, String> TYPES = Map.of("brand", "Text", "price", "Number", "launch", "Date",
            "onSale", "Boolean", "size", "SingleSelect", "colors", "MultiSelect", "unset", "Number");

    private static CheckFacts facts() {
        Map<String, String> request = new HashMap<>();
        request.put("fileName", "summer-shoe.png");
        request.put("folder", "/marketing/summer/");
        request.put("customCoordinates", "10,10,100,100");
        request.put("webhookUrl", null);
        Map<String, Boolean> flags = Map.of("useUniqueFileName", false, "isPrivateFile", true, "isPublished", true,
                "overwriteFile", true, "overwriteAITags", true, "overwriteTags", false, "overwriteCustomMetadata", true);
        Map<String, Object> custom = new HashMap<>();
        custom.put("brand", "Nike");
        custom.put("price", 500);
        custom.put("launch", "2024-03-01");
        custom.put("onSale", true);
        custom.put("size", "M");
        custom.put("colors", List.of("red", "blue"));
        Map<String, Object> media = new HashMap<>();
        media.put("width", 640);
        media.put("height", 480);
        return new CheckFacts(request, flags, List.of("sale", "shoes"), custom, 2000, "image/png", media);
    }

    private static boolean test(String expression) {
        return Checks.parse(expression).test(facts(), name -> Optional.ofNullable(TYPES.get(name)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            "request.fileName" = "summer-shoe.png"                  | true
            "request.fileName" = "other.png"                        | false
            "request.fileName" NOT = "other.png"                    | true
            "request.fileName" NOT = "summer-shoe.png"              | false
            "request.fileName" : "summer"                           | true
            "request.fileName" : "winter"                           | false
            "request.fileName" IN ["a.png", "summer-shoe.png"]      | true
            "request.fileName" NOT IN ["a.png", "summer-shoe.png"]  | false
            "request.folder" : "marketing/"                         | true
            "request.folder" : "/marketing"                         | true
            "request.folder" : "market"                             | false
            "request.folder" : "marketing/summer/"                  | true
            "request.folder" = "marketing/summer"                   | true
            "request.folder" = "/marketing/summer/"                 | true
            "request.folder" = "marketing"                          | false
            "request.folder" NOT = "marketing"                      | true
            "request.folder" IN ["a", "/marketing/summer"]          | true
            "request.folder" NOT IN ["a", "b/"]                     | true
            "request.folder" : "/"                                  | true
            "request.customCoordinates" = "10,10,100,100"           | true
            "request.customCoordinates" : "20,"                     | false
            "request.webhookUrl" : "https://"                       | false
            "request.webhookUrl" NOT = "https://x"                  | true
            "request.useUniqueFileName" = false                     | true
            "request.useUniqueFileName" = true                      | false
            "request.isPrivateFile" = true                          | true
            "request.isPrivateFile" NOT = true                      | false
            "request.isPublished" = true                            | true
            "request.overwriteFile" = false                         | false
            "request.overwriteAITags" NOT = false                   | true
            "request.overwriteTags" = false                         | true
            "request.overwriteCustomMetadata" = true                | true
            "request.tags" IN ["sale", "new"]                       | true
            "request.tags" IN ["new"]                               | false
            "request.tags" NOT IN ["new", "old"]                    | true
            "request.tags" NOT IN ["shoes"]                         | false
            "file.size" = 2000                                      | true
            "file.size" > 1999                                      | true
            "file.size" > 2000                                      | false
            "file.size" >= 2000                                     | true
            "file.size" < '1MB'                                     | true
            "file.size" < "1kb"                                     | false
            "file.size" <= "2kb"                                    | true
            'file.size' > '1mb'                                     | false
            "file.mime" = "image/png"                               | true
            "file.mime" NOT = "image/png"                           | false
            "file.mime" : image                                     | true
            "file.mime" : "video/"                                  | false
            'file.mime' IN ['image/jpeg','image/png']               | true
            'file.mime' NOT IN ['image/jpeg','image/png']           | false
            "mediaMetadata.width" = 640                             | true
            "mediaMetadata.width" > 640                             | false
            "mediaMetadata.width" >= 640                            | true
            "mediaMetadata.height" < 480                            | false
            "mediaMetadata.height" <= 480                           | true
            "mediaMetadata.duration" < 60                           | false
            "mediaMetadata.bitRate" >= 0                            | false
            "mediaMetadata.videoCodec" = "h264"                     | false
            "mediaMetadata.audioCodec" NOT = aac                    | true
            "mediaMetadata.videoCodec" NOT IN ["h264"]              | true
            "request.customMetadata.brand" = "Nike"                 | true
            "request.customMetadata.brand" : "Ad"                   | false
            "request.customMetadata.brand" IN ["Puma", "Nike"]      | true
            "request.customMetadata.price" > 100                    | true
            "request.customMetadata.price" <= 499.5                 | false
            "request.customMetadata.price" = 500                    | true
            "request.customMetadata.price" NOT = 500                | false
            "request.customMetadata.price" IN [100, 500]            | true
            "request.customMetadata.price" NOT IN [100, 500]        | false
            "request.customMetadata.unset" > 1                      | false
            "request.customMetadata.unset" NOT = 1                  | true
            "request.customMetadata.launch" > "2024-01-01"          | true
            "request.customMetadata.launch" < "2024-02-01T12:00:00" | false
            "request.customMetadata.launch" = "2024-03-01"          | true
            "request.customMetadata.onSale" = true                  | true
            "request.customMetadata.onSale" NOT = true              | false
            "request.customMetadata.size" = "M"                     | true
            "request.customMetadata.size" IN ["S", "L"]             | false
            "request.customMetadata.colors" IN ["red", "green"]     | true
            "request.customMetadata.colors" NOT IN ["red"]          | false
            'mediaMetadata.height' <= 300 AND 'mediaMetadata.width' <= 500 | false
            'mediaMetadata.height' <= 480 AND 'mediaMetadata.width' <= 640 | true
            "file.mime" : video OR "file.size" < "1mb"              | true
            "file.mime" : video OR ("file.size" < "1mb" AND "request.tags" IN ["x"]) | false
            "file.mime" : image OR "file.size" < "1kb" AND "request.tags" IN ["x"]   | true
            """)
    void evaluates(String expression, boolean expected) {
        assertThat(test(expression)).as(expression).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "file.size < 1024",                          // unquoted field name
            "\"file.size\" < ",                          // no value
            "\"file.size\" < 1024 AND",                  // dangling AND
            "(\"file.size\" < 1024",                     // unclosed parenthesis
            "\"file.name\" = \"a\"",                     // unknown field
            "\"request.description\" = \"a\"",           // not a checks field
            "\"file.size\" : \"1mb\"",                   // operator the field does not take
            "\"file.size\" NOT = 1",
            "\"request.tags\" = \"sale\"",
            "\"request.isPrivateFile\" : true",
            "\"mediaMetadata.width\" : 5",
            "\"file.size\" < \"lots\"",                  // not a size
            "\"request.isPrivateFile\" = \"yes\"",       // not a boolean
            "\"request.customMetadata.nope\" = 1",       // no such custom field
            "\"request.customMetadata.price\" : 5",      // Number takes no prefix
            "\"request.customMetadata.price\" > \"cheap\"",
            "\"request.customMetadata.onSale\" > 1",     // Boolean takes = and NOT = only
            "\"request.customMetadata.colors\" = \"red\"", // MultiSelect takes IN / NOT IN
            "\"request.customMetadata.launch\" > \"soon\"",
            ""
    })
    void refusesWhatItCannotEvaluate(String expression) {
        assertThatThrownBy(() -> test(expression)).as(expression)
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKS_INVALID));
    }
}
