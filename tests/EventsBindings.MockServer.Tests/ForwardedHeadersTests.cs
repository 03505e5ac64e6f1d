using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>
/// Behind a reverse proxy, the absolute next links the mock writes name the origin the client reached (the
/// proxy's), from <c>Forwarded</c> (RFC 7239) or <c>X-Forwarded-Host</c>/<c>X-Forwarded-Proto</c>; a value
/// that is not a plain host and port is ignored, so a forged header cannot reshape a link's path.
/// Driven by the Okta contract, whose pages are linked by a <c>Link</c> header.
/// </summary>
[Collection(MockCollection.Name)]
public sealed class ForwardedHeadersTests
{
    private readonly TestMockServerFixture _fx;

    public ForwardedHeadersTests(TestMockServerFixture fx) => _fx = fx;

    [Theory]
    [InlineData("X-Forwarded-Host", "proxy.example:8443", "X-Forwarded-Proto", "https", "https://proxy.example:8443/okta/api/v1/logs?")]
    [InlineData("Forwarded", "for=10.0.0.1;host=\"gw.example\";proto=https, host=inner", null, null, "https://gw.example/okta/api/v1/logs?")]
    [InlineData("X-Forwarded-Host", "evil.example/elsewhere?x=", null, null, "http://127.0.0.1:")]
    public async Task The_next_link_names_the_origin_the_client_reached(string header, string value, string? header2, string? value2, string expectedStart)
    {
        var request = _fx.Request("Okta", "/api/v1/logs?limit=2&since=2000-01-01T00:00:00Z");
        request.Headers.TryAddWithoutValidation(header, value);
        if (header2 is not null)
        {
            request.Headers.TryAddWithoutValidation(header2, value2);
        }

        var (status, _, response) = await _fx.SendAsync(request);
        Assert.Equal(200, status);
        var next = Assert.Single(response.Headers.GetValues("Link"), l => l.Contains("rel=\"next\"", StringComparison.Ordinal));
        Assert.StartsWith("<" + expectedStart, next, StringComparison.Ordinal);
        Assert.Contains("after=", next, StringComparison.Ordinal);
    }
}
