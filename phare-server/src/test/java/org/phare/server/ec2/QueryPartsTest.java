package org.phare.server.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("EC2 query parts: parameters, filters, pages, XML")
class QueryPartsTest {

    @Test
    @DisplayName("lists are taken in numeric index order, structures member by member")
    void params() {
        QueryParams q = QueryParams.parse("InstanceId.10=i-j&InstanceId.2=i-b&InstanceId.1=i-a&Filter.2.Name=tag%3Aenv"
                + "&Filter.2.Value.1=prod&Filter.1.Name=instance-state-name&Filter.1.Value.2=stopped&Filter.1.Value.1=running"
                + "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=a&TagSpecification.1.Tag.1.Value=x%20y");
        assertThat(q.list("InstanceId")).containsExactly("i-a", "i-b", "i-j");
        assertThat(q.filters()).containsExactly(Map.entry("instance-state-name", List.of("running", "stopped")),
                Map.entry("tag:env", List.of("prod")));
        var spec = q.members("TagSpecification").firstEntry().getValue();
        assertThat(QueryParams.tags(QueryParams.members(spec, "Tag"))).singleElement()
                .satisfies(t -> assertThat(t.value()).isEqualTo("x y"));
        assertThatThrownBy(() -> QueryParams.parse("InstanceId.x=1").list("InstanceId")).isInstanceOf(Ec2Error.class);
        assertThatThrownBy(() -> QueryParams.parse("InstanceId.1001=1").list("InstanceId")).isInstanceOf(Ec2Error.class);
        assertThatThrownBy(() -> QueryParams.parse("MaxResults=ten").integer("MaxResults"))
                .isInstanceOfSatisfying(Ec2Error.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    @DisplayName("filter values: * and ? wildcards, escapes, no regular expression, bounded")
    void globs() {
        assertThat(Filters.glob("web-*").matches("web-1")).isTrue();
        assertThat(Filters.glob("web-*").matches("db-1")).isFalse();
        assertThat(Filters.glob("w?b").matches("web")).isTrue();
        assertThat(Filters.glob("w?b").matches("wb")).isFalse();
        assertThat(Filters.glob("*a*b*").matches("xxaxxbxx")).isTrue();
        assertThat(Filters.glob("a\\*b").matches("a*b")).isTrue();
        assertThat(Filters.glob("a\\*b").matches("axb")).isFalse();
        assertThat(Filters.glob("(x)+.[y]").matches("(x)+.[y]")).as("regex characters are literal").isTrue();
        assertThat(Filters.glob("").matches("")).isTrue();
        assertThat(Filters.glob("*").matches("")).isTrue();
        // The pattern that takes a backtracking regular expression seconds: a plain answer here.
        assertThat(Filters.glob("*".repeat(40) + "!").matches("a".repeat(200))).isFalse();

        assertThatThrownBy(() -> new Filters(Map.of("nope", List.of("x")), Set.of("instance-id"), false)).isInstanceOf(Ec2Error.class);
        assertThat(new Filters(Map.of("tag:env", List.of("x")), Set.of("instance-id"), true).isEmpty()).isFalse();
        assertThatThrownBy(() -> new Filters(Map.of("instance-id", List.of("x".repeat(257))), Set.of("instance-id"), false))
                .isInstanceOf(Ec2Error.class);
        assertThatThrownBy(() -> new Filters(Map.of("instance-id", java.util.Collections.nCopies(201, "x")), Set.of("instance-id"), false))
                .isInstanceOf(Ec2Error.class);
    }

    @Test
    @DisplayName("pages resume after the last key given, even when that item is gone; a token of another list is refused")
    void pages() {
        List<String> all = List.of("a", "b", "c", "d", "e");
        var first = Ec2Api.Page.of("x", all, s -> s, 2, null);
        assertThat(first.items()).containsExactly("a", "b");
        var second = Ec2Api.Page.of("x", List.of("a", "c", "d", "e"), s -> s, 2, first.next());
        assertThat(second.items()).as("b is gone: the next page still starts after it").containsExactly("c", "d");
        var last = Ec2Api.Page.of("x", all, s -> s, 2, second.next());
        assertThat(last.items()).containsExactly("e");
        assertThat(last.next()).isNull();
        assertThatThrownBy(() -> Ec2Api.Page.of("y", all, s -> s, 2, first.next()))
                .isInstanceOfSatisfying(Ec2Error.class, e -> assertThat(e.code()).isEqualTo("InvalidPaginationToken"));
        assertThatThrownBy(() -> Ec2Api.Page.of("x", all, s -> s, 2, "%%%"))
                .isInstanceOfSatisfying(Ec2Error.class, e -> assertThat(e.code()).isEqualTo("InvalidPaginationToken"));
        assertThat(Ec2Api.Page.of("x", all, s -> s, null, null).items()).hasSize(5);
    }

    @Test
    @DisplayName("XML: escaped text, the namespace and requestId on answers, EC2's error document")
    void xml() {
        String doc = Xml.response("DescribeTags", "req-1").open("tagSet").open("item").leaf("key", "a<b&\"c\"")
                .leaf("value", "\u0001").leaf("absent", null).close().finish();
        assertThat(doc).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeTagsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>req-1</requestId>")
                .contains("<key>a&lt;b&amp;&quot;c&quot;</key>", "<value>\uFFFD</value>")
                .doesNotContain("absent").endsWith("</tagSet></DescribeTagsResponse>");
        assertThat(Xml.error("AuthFailure", "no", "r")).endsWith(
                "<Response><Errors><Error><Code>AuthFailure</Code><Message>no</Message></Error></Errors><RequestID>r</RequestID></Response>");
    }
}
