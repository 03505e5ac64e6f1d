using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>Pure helpers of the checks: reading bodies, item identities, page-size parameters and short texts for reasons.</summary>
internal static class VerifyHelpers
{
    internal static long? Count(EndpointSpec endpoint, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (endpoint.Response.Envelope is { } envelope && (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(envelope, out root)))
            {
                return null;
            }

            return root.ValueKind == JsonValueKind.Number && root.TryGetInt64(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string ResponseModelName(EndpointSpec endpoint) => endpoint.Response.Model ?? endpoint.Response.Kind.ToString();

    internal static bool HasPathParameters(EndpointSpec endpoint) => endpoint.Parameters.Any(p => p.In == ParameterLocation.Path);

    internal static ParameterSpec? PageSizeParameter(EndpointSpec endpoint) =>
        (endpoint.Pagination?.PageSizeParameter is { } name ? endpoint.FindParameter(name) : null)
        ?? endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.PageSize);

    internal static string Identity(JsonElement item, string? field) =>
        field is not null && ItemValues.At(item, field) is { } v ? ItemValues.Text(v) : item.GetRawText();

    internal static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    internal static string JsonCamel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 59) + "…";

    internal static string Snippet(string body)
    {
        var oneLine = string.Join(" ", body.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return oneLine.Length <= 160 ? oneLine : oneLine.Substring(0, 159) + "…";
    }

    /// <summary>The values at a dotted path of an item; lists anywhere along it are flattened (a filter matches any element).</summary>
    internal static List<JsonElement> PathValues(JsonElement item, string path)
    {
        static IEnumerable<JsonElement> Flat(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : new List<JsonElement> { e };
        var current = new List<JsonElement> { item };
        foreach (var step in path.Split('.'))
        {
            current = current.SelectMany(Flat).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(step, out _)).Select(e => e.GetProperty(step)).ToList();
        }

        return current.SelectMany(Flat).ToList();
    }

    /// <summary>Null when the items are in the direction of the field, else where they are not.</summary>
    internal static string? OutOfOrder(List<JsonElement> items, string fieldName, FieldSpec field, bool ascending)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (ItemValues.At(items[i - 1], fieldName) is { } a && ItemValues.At(items[i], fieldName) is { } b
                && ItemValues.CompareItems(a, b, field) is { } cmp && (ascending ? cmp > 0 : cmp < 0))
            {
                return $"items {i - 1} and {i} are not in {(ascending ? "ascending" : "descending")} order of {fieldName} ({ItemValues.Text(a)}, {ItemValues.Text(b)})";
            }
        }

        return null;
    }

    /// <summary>The next link or token a next-link page names: the RFC 8288 header entry with the contract's relation, or the body field.</summary>
    internal static string? NextLinkOf(NextLinkSpec named, VerifyResponse response)
    {
        if (named.Header is { } header)
        {
            if (!response.Headers.TryGetValue(header, out var values))
            {
                return null;
            }

            foreach (var value in values)
            {
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(value, "<([^>]*)>((?:\\s*;\\s*[^;,=]+(?:=(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^;,]*))?)*)"))
                {
                    var rel = System.Text.RegularExpressions.Regex.Match(m.Groups[2].Value, "(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]+))");
                    var rels = rel.Success ? (rel.Groups[1].Success ? rel.Groups[1].Value : rel.Groups[2].Value) : string.Empty;
                    if (rels.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(r => string.Equals(r, named.Rel, StringComparison.OrdinalIgnoreCase)))
                    {
                        return m.Groups[1].Value.Trim();
                    }
                }
            }

            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var at = doc.RootElement;
            foreach (var step in named.Field!.Segments)
            {
                if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(step, out at))
                {
                    return null;
                }
            }

            return at.ValueKind == JsonValueKind.String && at.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
