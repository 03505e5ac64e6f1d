using System.Globalization;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A walk over the pages of a list endpoint, by its pagination strategy: no duplicate, no gap, and the stop rule holds.</summary>
internal static class PagingCheck
{
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues) =>
        run.CheckAsync($"{endpoint.Name}: paging", async ctx =>
        {
            var pagination = endpoint.Pagination;
            var sizeParameter = PageSizeParameter(endpoint);
            if (pagination is null || pagination.Strategy == PaginationStrategy.None || sizeParameter is null)
            {
                return (CheckStatus.Skip, "the contract declares no pagination");
            }

            var size = (int)Math.Clamp(run.Options.WalkPageSize, Math.Max(1, sizeParameter.Minimum ?? 1), sizeParameter.Maximum ?? int.MaxValue);
            var identity = run.IdentityField(endpoint);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var walk = new List<string>();
            var pages = 0;
            var full = true;
            string? cursor = null;
            Uri? link = null;
            while (pages < Math.Max(1, run.Options.MaxPages))
            {
                var parameters = new List<(string, string)> { (sizeParameter.WireName, Num(size)) };
                if (pages > 0)
                {
                    if (pagination.Strategy == PaginationStrategy.NextLink)
                    {
                        if (pagination.NextLink is { IsToken: true } && pagination.TokenParameter is { } tokenParameter && cursor is not null)
                        {
                            parameters.Add((tokenParameter, cursor));
                        }
                        else
                        {
                            parameters.Clear(); // the link carries the whole query
                        }
                    }
                    else if (pagination.Strategy == PaginationStrategy.Cursor && cursor is not null)
                    {
                        parameters.Add((pagination.CursorParameter!, cursor));
                    }
                    else if (pagination.Strategy == PaginationStrategy.Offset && pagination.OffsetParameter is not null)
                    {
                        parameters.Add((pagination.OffsetParameter, Num(pages * size)));
                    }
                }

                var response = await ctx.SendAsync(endpoint, pathValues, parameters, link: pages > 0 ? link : null).ConfigureAwait(false);
                if (response.Code != 200)
                {
                    return (CheckStatus.Fail, $"page {pages + 1}: expected 200, got {response.Code}: {Snippet(response.Body)}");
                }

                string? next = null;
                var selfRepeat = false;
                if (pagination.Strategy == PaginationStrategy.NextLink && pagination.NextLink is { } named)
                {
                    next = NextLinkOf(named, response);
                    if (next is not null && !named.IsToken)
                    {
                        var firstPath = endpoint.Path;
                        foreach (var (name, value) in pathValues)
                        {
                            firstPath = firstPath.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                        }

                        var from = link ?? new Uri(run.BaseUrl.ToString().TrimEnd('/') + firstPath);
                        if (!Uri.TryCreate(from, next, out var absolute))
                        {
                            return (CheckStatus.Fail, $"page {pages + 1} names a next link that is not a URI reference");
                        }

                        selfRepeat = link is not null && absolute == link;
                        link = absolute;
                    }
                }

                var items = run.Items(endpoint, response.Body);
                pages++;
                if (items.Count > size)
                {
                    return (CheckStatus.Fail, $"page {pages} has {items.Count} items, more than {sizeParameter.WireName}={size}");
                }

                foreach (var item in items)
                {
                    var key = Identity(item, identity);
                    if (!seen.Add(key))
                    {
                        return (CheckStatus.Fail, $"page {pages} repeats the item {identity ?? "(whole item)"}={Shorten(key)} of an earlier page");
                    }

                    walk.Add(key);
                }

                if (pagination.Strategy == PaginationStrategy.NextLink)
                {
                    if (selfRepeat && items.Count > 0)
                    {
                        return (CheckStatus.Fail, $"page {pages} names itself as the next page (the walk would loop)");
                    }

                    if (next is null || items.Count == 0)
                    {
                        full = items.Count == size;
                        break;
                    }

                    cursor = next;
                    continue;
                }

                if (items.Count < size || items.Count == 0)
                {
                    full = false;
                    break;
                }

                if (pagination.Strategy == PaginationStrategy.Cursor)
                {
                    if (ItemValues.At(items[^1], pagination.CursorField!) is not { } last)
                    {
                        return (CheckStatus.Fail, $"the last item of page {pages} has no {pagination.CursorField} to continue from");
                    }

                    cursor = ItemValues.Text(last);
                    if (pagination.CursorNext == CursorNext.LastPlusOne)
                    {
                        if (!long.TryParse(cursor, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                        {
                            return (CheckStatus.Fail, $"the cursor {pagination.CursorField}={Shorten(cursor)} is not an integer (next: lastPlusOne)");
                        }

                        cursor = (n + 1).ToString(CultureInfo.InvariantCulture);
                    }
                }
            }

            if (walk.Count == 0)
            {
                return (CheckStatus.Pass, "the first page is empty: nothing to walk");
            }

            if (sizeParameter.Maximum is { } max && walk.Count > max)
            {
                return (CheckStatus.Pass, $"{pages} pages, {walk.Count} distinct items");
            }

            // Gaps: the walk must equal one request for as many items.
            var reference = await ctx.SendAsync(endpoint, pathValues, new[] { (sizeParameter.WireName, Num(walk.Count)) }).ConfigureAwait(false);
            if (reference.Code != 200)
            {
                return (CheckStatus.Fail, $"one request of {walk.Count}: expected 200, got {reference.Code}");
            }

            var expected = run.Items(endpoint, reference.Body).Select(i => Identity(i, identity)).ToList();
            for (var i = 0; i < walk.Count; i++)
            {
                if (i >= expected.Count || expected[i] != walk[i])
                {
                    return (CheckStatus.Fail, $"gap or reorder at item {i}: the walk has {Shorten(walk[i])}, one request of {walk.Count} has {(i < expected.Count ? Shorten(expected[i]) : "nothing")}");
                }
            }

            return (CheckStatus.Pass, $"{pages} pages of {sizeParameter.WireName}={size} ({pagination.Strategy.ToString().ToLowerInvariant()}{(full ? string.Empty : ", last page short")}): {walk.Count} distinct items, no gap against one request of {walk.Count}");
        });
}
