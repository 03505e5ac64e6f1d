using System.Globalization;
using System.Web;
using EventsBindings.Runtime;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>
/// For every bounded parameter (minimum, maximum) of every endpoint: the bound itself is accepted and
/// sent; a value beyond it is refused by the client's typed query before anything is sent (the
/// exception names the wire parameter); and the same value forced onto the wire is refused by the server
/// with a 400 that surfaces as the runtime's exception carrying the contract's meaning.
/// </summary>
public abstract class BoundsTests
{
    private readonly ClientsFixture _fx;

    protected BoundsTests(ClientsFixture fx) => _fx = fx;

    public static TheoryData<string, string, string, string> Bounds()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var contract in Cases.Contracts)
        {
            foreach (var endpoint in Cases.Callable(contract))
            {
                foreach (var p in endpoint.Parameters.Where(p => p.In != ParameterLocation.Path))
                {
                    if (p.Minimum is not null)
                    {
                        data.Add(contract.Name, endpoint.Name, p.WireName, "minimum");
                    }

                    if (p.Maximum is not null)
                    {
                        data.Add(contract.Name, endpoint.Name, p.WireName, "maximum");
                    }
                }
            }
        }

        return data;
    }

    private static (long Bound, long Beyond) Values(ParameterSpec p, string side) =>
        side == "minimum" ? (p.Minimum!.Value, p.Minimum.Value - 1) : (p.Maximum!.Value, p.Maximum.Value + 1);

    private async Task<(ContractSpec, EndpointSpec, ParameterSpec, Dictionary<string, string>)> SetUpAsync(string api, string endpointName, string parameter)
    {
        var contract = TestContracts.Get(api);
        var endpoint = contract.FindEndpoint(endpointName)!;
        return (contract, endpoint, endpoint.FindParameter(parameter)!, await _fx.WholeAsync(contract, endpoint));
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task The_bound_itself_is_accepted_and_sent(string api, string endpointName, string parameter, string side)
    {
        var (contract, endpoint, p, wire) = await SetUpAsync(api, endpointName, parameter);
        var (bound, _) = Values(p, side);
        wire[p.WireName] = ClientsFixture.Text(bound);
        using var client = ClientDriver.Create(_fx, contract);
        await client.CallAsync(endpoint, wire);
        Assert.Equal(ClientsFixture.Text(bound), HttpUtility.ParseQueryString(client.Handler.Sent[0].Query)[p.WireName]);
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task Beyond_the_bound_the_client_throws_naming_the_parameter_before_sending(string api, string endpointName, string parameter, string side)
    {
        var (contract, endpoint, p, wire) = await SetUpAsync(api, endpointName, parameter);
        var (_, beyond) = Values(p, side);
        wire[p.WireName] = ClientsFixture.Text(beyond);
        using var client = ClientDriver.Create(_fx, contract);
        var marker = ClientsFixture.Mark(client);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.CallAsync(endpoint, wire));
        Assert.Equal(p.WireName, ex.ParamName);
        Assert.Contains(p.WireName, ex.Message, StringComparison.Ordinal);
        Assert.Empty(client.Handler.Sent);
        Assert.Empty(await _fx.JournaledAsync(marker));
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public async Task Beyond_the_bound_on_the_wire_the_server_answers_400_which_surfaces_with_the_contracts_meaning(string api, string endpointName, string parameter, string side)
    {
        var (contract, endpoint, p, wire) = await SetUpAsync(api, endpointName, parameter);
        var (bound, beyond) = Values(p, side);
        wire[p.WireName] = ClientsFixture.Text(bound);
        using var client = ClientDriver.Create(_fx, contract);
        client.Handler.Rewrite = uri => Rewrite(uri, p.WireName, ClientsFixture.Text(beyond));
        var marker = ClientsFixture.Mark(client);

        var ex = await Assert.ThrowsAsync<EventsRequestException>(() => client.CallAsync(endpoint, wire));
        Assert.Equal(typeof(EventsRequestException), ex.GetType());
        Assert.Equal(400, ex.Status);
        Assert.Equal(contract.ErrorsFor(endpoint).Single(e => e.Status == 400).Meaning, ex.Meaning);
        Assert.Contains(p.WireName, ex.BodyExcerpt, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
        Assert.Single(client.Handler.Sent);
        var journaled = Assert.Single(await _fx.JournaledAsync(marker));
        Assert.Equal(400, journaled.Status);
        Assert.Equal(ClientsFixture.Text(beyond), HttpUtility.ParseQueryString(journaled.Query)[p.WireName]);
    }

    /// <summary>A URI with one query parameter's value replaced.</summary>
    public static Uri Rewrite(Uri uri, string name, string value)
    {
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.NotNull(query[name]);
        query[name] = value;
        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }
}
