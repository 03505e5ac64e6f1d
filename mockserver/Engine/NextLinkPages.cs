using System.Text;
using System.Text.Json;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>
/// Answers a page of a next-link endpoint (<c>pagination: { strategy: nextLink }</c>): the items after the page
/// token's position and, where the contract says, the next link: an RFC 8288 header entry with the contract's
/// relation (plus <c>rel="self"</c>), or a body field holding the next URL or the bare token. The next link is the
/// request's own URL with the token parameter replaced, so every other filter travels with it.
/// </summary>
/// <remarks>
/// Stop rules: with <c>stop: absent</c> (the default) the last page carries no next link (the mock asks for one
/// item more than the page size to know); with <c>stop: emptyPage</c> the mock always names a next page, as
/// servers with a polling mode do: after the last item it points at the position after it, and an empty page
/// points at its own position again, so that a client polls there later.
/// </remarks>
internal static class NextLinkPages
{
    public static MockResponse Answer(ApiRuntime api, ItemStore store, EndpointSpec endpoint, PaginationSpec pagination, NextLinkSpec link, Query query, Uri requestUri, byte[] envelopePrefix)
    {
        var keys = query.OrderPath is { } orderPath ? store.Column(orderPath) : null;
        var ids = store.Column(store.IdPath);
        if (query.After is { } after && keys is not null && ids is not null)
        {
            var descending = query.Descending;
            query.SeqFilter = seq => PageTokens.After(keys[seq], ids[seq], after, descending);
        }

        var limit = query.PageSize;
        if (limit is { } asked && asked < int.MaxValue)
        {
            query.PageSize = asked + 1;
        }

        var seqs = QueryEngine.List(store, query);
        var more = limit is { } n && seqs.Count > n;
        if (more)
        {
            seqs.RemoveRange((int)limit!.Value, seqs.Count - (int)limit.Value);
        }

        var tokenName = pagination.TokenParameter;
        string? token = null;
        if (seqs.Count > 0 && keys is not null && ids is not null)
        {
            var last = seqs[^1];
            token = PageTokens.Encode(api.Contract, endpoint, new PageTokens.Position(keys[last], ids[last]));
        }
        else if (tokenName is not null)
        {
            token = TokenOf(requestUri, tokenName);
        }

        var named = more || pagination.Stop == StopRule.EmptyPage;
        var headers = new List<KeyValuePair<string, string>>();
        byte[]? suffix = null;
        if (link.Header is { } header)
        {
            var entries = new List<string>();
            if (named && tokenName is not null)
            {
                entries.Add("<" + WithToken(requestUri, tokenName, token) + ">; rel=\"" + link.Rel + "\"");
            }

            entries.Add("<" + requestUri.AbsoluteUri + ">; rel=\"self\"");
            headers.Add(new KeyValuePair<string, string>(header, string.Join(", ", entries)));
        }
        else if (link.Field is { } field && envelopePrefix.Length > 0)
        {
            string? value = !named ? null
                : link.IsToken ? token
                : tokenName is not null ? WithToken(requestUri, tokenName, token) : null;
            suffix = Encoding.UTF8.GetBytes(Member(field.Segments, 0, value));
        }

        return new MockResponse(200, Array.Empty<byte>(), headers) { List = new ListBody(api, store, endpoint, seqs, envelopePrefix, suffix) };
    }

    /// <summary><c>,"a":{"b":"value"}</c> for the path <c>a.b</c> (a name as it is: <c>['@odata.nextLink']</c> is one member): members of the envelope object after the items.</summary>
    private static string Member(EquatableArray<string> steps, int index, string? value)
    {
        var name = JsonSerializer.Serialize(steps[index]);
        var inner = index == steps.Count - 1
            ? (value is null ? "null" : JsonSerializer.Serialize(value))
            : "{" + Member(steps, index + 1, value)[1..] + "}";
        return "," + name + ":" + inner;
    }

    private static string? TokenOf(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' ')) == name)
            {
                return eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    /// <summary>The request's URL with the token parameter set to <paramref name="token"/> (removed when null); the other parameters as sent.</summary>
    private static string WithToken(Uri uri, string name, string? token)
    {
        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                return Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' ')) != name;
            })
            .ToList();
        if (token is not null)
        {
            kept.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(token));
        }

        return uri.GetLeftPart(UriPartial.Path) + (kept.Count > 0 ? "?" + string.Join("&", kept) : string.Empty);
    }
}
