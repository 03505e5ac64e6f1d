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
