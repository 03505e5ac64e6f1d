using EventsBindings.MockServer.Admin;
using EventsBindings.MockServer.Hosting;
using Xunit;

namespace EventsBindings.MockServer.Tests;

/// <summary>The shipped fixture used as the README shows: a class fixture with options, on a free port.</summary>
public sealed class ReadmeMock() : MockServerFixture(new MockServerOptions
{
    Port = 0, Events = 50, Seed = 7, TimeProvider = new FixedTimeProvider(TestMockServerFixture.Now),
});

public sealed class FixtureTests(ReadmeMock mock) : IClassFixture<ReadmeMock>
{
    [Fact]
    public async Task Every_answer_is_dated_by_the_mocks_clock_not_the_machines()
    {
        // A client that reads "now" from the server (relative windows, rate-limit resets) must see the clock the
        // mock answers by; the fixture's clock is fixed years away from the machine's.
        foreach (var contract in TestContracts.Specs)
        {
            var path = mock.Apis.Single(a => a.Name == contract.Name).SamplePath!;
            var (_, _, ok) = await mock.GetAsync(contract.Name, path);
            var (status, _, unknown) = await mock.GetAsync(contract.Name, "/no-such-path");
            Assert.Equal(404, status);
            Assert.Equal(TestMockServerFixture.Now, ok.Headers.Date);
            Assert.Equal(TestMockServerFixture.Now, unknown.Headers.Date);
        }
    }

    [Fact]
    public async Task The_fixture_serves_every_api_with_its_demo_credentials_and_admin_helpers()
    {
        Assert.NotEqual(0, mock.BaseAddress.Port);
        Assert.Equal(TestContracts.Specs.Select(c => c.Name).Order(StringComparer.Ordinal), mock.Apis.Select(a => a.Name).Order(StringComparer.Ordinal));
        foreach (var contract in TestContracts.Specs)
        {
            var api = mock.ApiBaseAddress(contract.Name);
            Assert.Equal(new Uri(mock.BaseAddress, contract.Mock!.Prefix.TrimStart('/') + "/"), api);
            var credential = mock.Credential(contract.Name);
            Assert.Contains(contract.Mock.Credentials, c => c.Value == credential.Value && c.Access == Spec.Model.CredentialAccess.Read);
            var path = mock.Apis.Single(a => a.Name == contract.Name).SamplePath!;
            var (status, body, _) = await mock.GetAsync(contract.Name, path);
            Assert.True(status == 200, $"{contract.Name} /{path}: {status} {body}");
        }

        Assert.Equal(TestContracts.Specs.Count, mock.Requests().Count);
        var before = mock.Apis.Single(a => a.Name == "Banyan").Items;
        mock.AppendItems("Banyan", 10);
        Assert.Equal(before + 10, mock.Apis.Single(a => a.Name == "Banyan").Items);
        Assert.Single(mock.Requests(new RequestFilter { Api = "Banyan" }));
        mock.ClearRequests();
        Assert.Empty(mock.Requests());

        await mock.GetAsync("Banyan", "/events");
        mock.Reset();
        Assert.Empty(mock.Requests());
        Assert.Equal(before, mock.Apis.Single(a => a.Name == "Banyan").Items);
        Assert.Same(mock.Options, mock.Host.Options);
    }
}
