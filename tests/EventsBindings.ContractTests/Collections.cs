using Xunit;

namespace EventsBindings.ContractTests;

/// <summary>Filters, paging, bounds and counts.</summary>
[CollectionDefinition(Name)]
public sealed class QueryCollection : ICollectionFixture<ClientsFixture>
{
    public const string Name = "clients: queries";
}

/// <summary>Errors, auth, items and examples: a second mock, so that the two collections run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class ResponseCollection : ICollectionFixture<ClientsFixture>
{
    public const string Name = "clients: responses";
}

/// <summary>The queries collection on the WireMock.Net host (the same tests, through the adapter).</summary>
[CollectionDefinition(Name)]
public sealed class WireMockQueryCollection : ICollectionFixture<WireMockClientsFixture>
{
    public const string Name = "clients on WireMock.Net: queries";
}

/// <summary>The responses collection on the WireMock.Net host.</summary>
[CollectionDefinition(Name)]
public sealed class WireMockResponseCollection : ICollectionFixture<WireMockClientsFixture>
{
    public const string Name = "clients on WireMock.Net: responses";
}
