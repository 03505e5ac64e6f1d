using System.Globalization;
using System.Web;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// Paging invariants of every paginated list endpoint, through the client's pages and continuation
/// tokens: small pages concatenate to the one big page, with no duplicates or gaps; the last page is
/// flagged by a null token and no request follows it; a saved token resumes exactly; the page size
/// defaults as the contract declares, and its maximum is accepted. A next-link endpoint with <c>stop: emptyPage</c>
/// (a server that always names a next page, as in a polling mode) names one after the last item too: its walk
/// costs one more request, for the empty page that ends it, and its last page keeps a token to poll from.
/// </summary>
public abstract class PagingTests
{
    private readonly ClientsFixture _fx;

    protected PagingTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string> PagedEndpoints() => Cases.Endpoints(e => e.Response.Kind == ResponseKind.List && e.Pagination?.PageSizeParameter is not null);

    private sealed record Setup(ContractSpec Contract, EndpointSpec Endpoint, ParameterSpec Size, Dictionary<string, string> Wire, List<string> AllIds)
    {
        /// <summary>The server names a next page after the last item too (next links with <c>stop: emptyPage</c>).</summary>
        public bool AlwaysNext => AlwaysNamesNext(Endpoint);
    }

    private static bool AlwaysNamesNext(EndpointSpec endpoint) =>
        endpoint.Pagination is { Strategy: PaginationStrategy.NextLink, Stop: StopRule.EmptyPage };

    /// <summary>The endpoint's whole set, fetched through the client as one page of the maximum size.</summary>
    private async Task<Setup> SetUpAsync(string api, string endpointName)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        var size = endpoint.FindParameter(endpoint.Pagination!.PageSizeParameter!)!;
        var wire = await _fx.WholeAsync(contract, endpoint);
        using var client = ClientDriver.Create(_fx, contract);
        var max = size.Maximum ?? 1000;
        var big = await client.PageAsync(endpoint, With(wire, size, max));
        Assert.True(big.Items.Count < max, "The dataset is larger than the maximum page; the test needs fewer items.");
        Assert.Equal(AlwaysNamesNext(endpoint), big.ContinuationToken is not null);
        Assert.True(big.Items.Count >= 6, $"{endpoint.Name} selects only {big.Items.Count} items: a weak test.");
        var ids = big.Items.Select(i => Walker.Id(i, contract)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        return new Setup(contract, endpoint, size, wire, ids);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> wire, ParameterSpec p, long value) =>
        new(wire, StringComparer.Ordinal) { [p.WireName] = value.ToString(CultureInfo.InvariantCulture) };

    private static int SmallSize(Setup s)
    {
        var n = s.AllIds.Count;
        var size = (int)Math.Max(s.Size.Minimum ?? 1, n / 5);
        while (n % size == 0)
        {
            size++;
        }

        return size;
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task Small_pages_concatenate_to_the_one_big_page_and_stop_on_the_last(string api, string endpointName)
    {
        var s = await SetUpAsync(api, endpointName);
        var size = SmallSize(s);
        using var client = ClientDriver.Create(_fx, s.Contract);
        var pages = await client.PagesAsync(s.Endpoint, With(s.Wire, s.Size, size));

        var ids = pages.SelectMany(p => p.Items).Select(i => Walker.Id(i, s.Contract)).ToList();
        Assert.Equal(s.AllIds, ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal((s.AllIds.Count + size - 1) / size, pages.Count);
        for (var i = 0; i < pages.Count - 1; i++)
        {
            Assert.Equal(size, pages[i].Items.Count);
            Assert.NotNull(pages[i].ContinuationToken);
        }

        Assert.Equal(s.AllIds.Count % size, pages[^1].Items.Count);
        Assert.Equal(s.AlwaysNext, pages[^1].ContinuationToken is not null);

        // One request per page: the short page ends the walk without a further request (or, where the server
        // always names a next page, the empty page after it, which is not yielded).
        Assert.Equal(pages.Count + (s.AlwaysNext ? 1 : 0), client.Handler.Sent.Count);
        Assert.All(client.Handler.Sent, uri => Assert.Equal(size.ToString(CultureInfo.InvariantCulture), HttpUtility.ParseQueryString(uri.Query)[s.Size.WireName]));
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_saved_continuation_token_resumes_exactly_where_it_was_taken(string api, string endpointName)
    {
        var s = await SetUpAsync(api, endpointName);
        var size = SmallSize(s);
        using var client = ClientDriver.Create(_fx, s.Contract);
        var wire = With(s.Wire, s.Size, size);
        var pages = await client.PagesAsync(s.Endpoint, wire);
        Assert.True(pages.Count >= 3);
        var k = pages.Count / 2;
        var token = pages[k - 1].ContinuationToken!;

        var resumed = await client.PagesAsync(s.Endpoint, wire, token);
        Assert.Equal(
            pages.Skip(k).SelectMany(p => p.Items).Select(i => Walker.Id(i, s.Contract)),
            resumed.SelectMany(p => p.Items).Select(i => Walker.Id(i, s.Contract)));
        Assert.Equal(pages.Skip(k).Select(p => p.ContinuationToken), resumed.Select(p => p.ContinuationToken));

        var one = await client.PageAsync(s.Endpoint, wire, token);
        Assert.Equal(pages[k].Items.Select(i => i.GetRawText()), one.Items.Select(i => i.GetRawText()));
        Assert.Equal(pages[k].ContinuationToken, one.ContinuationToken);
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task A_full_last_page_costs_one_empty_request_and_its_token_resumes_to_an_empty_last_page(string api, string endpointName)
    {
        var s = await SetUpAsync(api, endpointName);
        var n = s.AllIds.Count;
        using var client = ClientDriver.Create(_fx, s.Contract);
        var wire = With(s.Wire, s.Size, n);
        var pages = await client.PagesAsync(s.Endpoint, wire);

        // The stop rule (a short page is the last) cannot see that a full page is the last: one more
        // request finds nothing, and no empty page is yielded after items.
        var page = Assert.Single(pages);
        Assert.Equal(s.AllIds, page.Items.Select(i => Walker.Id(i, s.Contract)));
        Assert.NotNull(page.ContinuationToken);
        Assert.Equal(2, client.Handler.Sent.Count);

        var after = await client.PagesAsync(s.Endpoint, wire, page.ContinuationToken);
        var empty = Assert.Single(after);
        Assert.Empty(empty.Items);
        Assert.Null(empty.ContinuationToken);
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task The_page_size_defaults_to_the_contracts_default(string api, string endpointName)
    {
        var s = await SetUpAsync(api, endpointName);
        var declared = int.Parse(s.Size.Default!, CultureInfo.InvariantCulture);
        using var client = ClientDriver.Create(_fx, s.Contract);
        var first = await client.PageAsync(s.Endpoint, s.Wire);
        Assert.Equal(Math.Min(declared, s.AllIds.Count), first.Items.Count);
        Assert.Equal(s.AllIds.Take(declared), first.Items.Select(i => Walker.Id(i, s.Contract)));
        Assert.Equal(declared < s.AllIds.Count || s.AlwaysNext, first.ContinuationToken is not null);
        var sent = HttpUtility.ParseQueryString(Assert.Single(client.Handler.Sent).Query)[s.Size.WireName];
        Assert.True(sent is null || sent == s.Size.Default, $"{s.Size.WireName}={sent}");
    }

    [Theory]
    [MemberData(nameof(PagedEndpoints))]
    public async Task The_maximum_page_size_is_accepted_and_sent(string api, string endpointName)
    {
        var s = await SetUpAsync(api, endpointName);
        Assert.NotNull(s.Size.Maximum);
        using var client = ClientDriver.Create(_fx, s.Contract);
        var page = await client.PageAsync(s.Endpoint, With(s.Wire, s.Size, s.Size.Maximum!.Value));
        Assert.Equal(s.AllIds, page.Items.Select(i => Walker.Id(i, s.Contract)));
        Assert.Equal(s.AlwaysNext, page.ContinuationToken is not null);
        Assert.Equal(s.Size.Maximum.Value.ToString(CultureInfo.InvariantCulture), HttpUtility.ParseQueryString(Assert.Single(client.Handler.Sent).Query)[s.Size.WireName]);
    }
}
