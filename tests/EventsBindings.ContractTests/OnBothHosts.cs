using Xunit;

namespace EventsBindings.ContractTests;

// The contract test classes run unchanged on both hosts of the engine: each is abstract, and bound here once to
// the Kestrel host (ClientsFixture) and once to the WireMock.Net host (WireMockClientsFixture, the adapter on a
// WireMockServer), in collections of the same shape; theory data and test bodies are shared.

[Collection(QueryCollection.Name)]
public sealed class BoundsTestsOnKestrel(ClientsFixture fx) : BoundsTests(fx);

[Collection(WireMockQueryCollection.Name)]
public sealed class BoundsTestsOnWireMockNet(WireMockClientsFixture fx) : BoundsTests(fx);

[Collection(ResponseCollection.Name)]
public sealed class ErrorTestsOnKestrel(ClientsFixture fx) : ErrorTests(fx);

[Collection(WireMockResponseCollection.Name)]
public sealed class ErrorTestsOnWireMockNet(WireMockClientsFixture fx) : ErrorTests(fx);

[Collection(ResponseCollection.Name)]
public sealed class ExampleTestsOnKestrel(ClientsFixture fx) : ExampleTests(fx);

[Collection(WireMockResponseCollection.Name)]
public sealed class ExampleTestsOnWireMockNet(WireMockClientsFixture fx) : ExampleTests(fx);

[Collection(ResponseCollection.Name)]
public sealed class AuthTestsOnKestrel(ClientsFixture fx) : AuthTests(fx);

[Collection(WireMockResponseCollection.Name)]
public sealed class AuthTestsOnWireMockNet(WireMockClientsFixture fx) : AuthTests(fx);

[Collection(QueryCollection.Name)]
public sealed class ExpressionFilterTestsOnKestrel(ClientsFixture fx) : ExpressionFilterTests(fx);

[Collection(WireMockQueryCollection.Name)]
public sealed class ExpressionFilterTestsOnWireMockNet(WireMockClientsFixture fx) : ExpressionFilterTests(fx);

[Collection(QueryCollection.Name)]
public sealed class FilterTestsOnKestrel(ClientsFixture fx) : FilterTests(fx);

[Collection(WireMockQueryCollection.Name)]
public sealed class FilterTestsOnWireMockNet(WireMockClientsFixture fx) : FilterTests(fx);

[Collection(ResponseCollection.Name)]
public sealed class ItemTestsOnKestrel(ClientsFixture fx) : ItemTests(fx);

[Collection(WireMockResponseCollection.Name)]
public sealed class ItemTestsOnWireMockNet(WireMockClientsFixture fx) : ItemTests(fx);

[Collection(QueryCollection.Name)]
public sealed class CountTestsOnKestrel(ClientsFixture fx) : CountTests(fx);

[Collection(WireMockQueryCollection.Name)]
public sealed class CountTestsOnWireMockNet(WireMockClientsFixture fx) : CountTests(fx);

[Collection(QueryCollection.Name)]
public sealed class OrderingTestsOnKestrel(ClientsFixture fx) : OrderingTests(fx);

[Collection(WireMockQueryCollection.Name)]
public sealed class OrderingTestsOnWireMockNet(WireMockClientsFixture fx) : OrderingTests(fx);

[Collection(QueryCollection.Name)]
public sealed class PagingTestsOnKestrel(ClientsFixture fx) : PagingTests(fx);

[Collection(WireMockQueryCollection.Name)]
public sealed class PagingTestsOnWireMockNet(WireMockClientsFixture fx) : PagingTests(fx);

[Collection(ResponseCollection.Name)]
public sealed class SchemaValidationTestsOnKestrel(ClientsFixture fx) : SchemaValidationTests(fx);

[Collection(WireMockResponseCollection.Name)]
public sealed class SchemaValidationTestsOnWireMockNet(WireMockClientsFixture fx) : SchemaValidationTests(fx);
