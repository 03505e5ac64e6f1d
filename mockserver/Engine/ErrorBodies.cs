using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>A response the mock writes: status, headers and body.</summary>
internal sealed record MockResponse(int Status, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>A list answer written straight into the response instead of <see cref="Body"/>; disposed once written.</summary>
    public ListBody? List { get; init; }

    /// <summary>The body's length in bytes.</summary>
    public int Length => List?.Length ?? Body.Length;

    /// <summary>The body's bytes, in one array (a list answer is assembled for this: only faults and errors ask).</summary>
    public ReadOnlyMemory<byte> Content => List?.ToArray() ?? Body;

    public static MockResponse Json(int status, byte[] body) => new(status, body, Array.Empty<KeyValuePair<string, string>>());
}

/// <summary>Error responses as the contract declares them (body, headers), with the mock's own details where it must explain.</summary>
internal static class ErrorBodies
{
    /// <summary>The contract's error response for <paramref name="status"/> on an endpoint (or the contract), else a generic one.</summary>
    public static MockResponse For(ContractSpec? contract, EndpointSpec? endpoint, int status, string fallbackMessage)
    {
        var error = Find(contract, endpoint, status);
        if (error?.Body is { } body)
        {
            return new MockResponse(status, Encoding.UTF8.GetBytes(body), error.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToArray());
        }

        var generic = new JsonObject { ["error"] = fallbackMessage, ["status"] = status };
        return new MockResponse(status, Encoding.UTF8.GetBytes(generic.ToJsonString(ItemStore.JsonOptions)), error?.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToArray() ?? Array.Empty<KeyValuePair<string, string>>());
    }

    /// <summary>The mock's own header on an explained error: the engine's rule that was broken (<c>maximum</c>, <c>single</c>, <c>scim</c>, …).</summary>
    public const string RuleHeader = "X-Mock-Rule";

    /// <summary>
    /// A 400 for bad input. Where the contract declares a 400 with <c>fields</c>, its body with the message,
    /// parameter and code written into exactly the fields it names (and nothing added): the code is the contract's
    /// for this failure (a filter's <c>semantics.errorCode</c>) or else the error's documented one, also written into
    /// the body's copies of it; where it declares none, the mock's own body <c>{"error", "parameter", "rule", "status"}</c>.
    /// The engine's rule travels in <see cref="RuleHeader"/>, never in the vendor's body.
    /// </summary>
    public static MockResponse BadRequest(ContractSpec contract, EndpointSpec endpoint, BadInput bad) =>
        Explained(Find(contract, endpoint, 400), 400, bad);

    /// <summary>
    /// A 501 for a parameter whose semantics are opaque (the mock cannot execute it): the contract's 501 with
    /// <c>fields</c> if it declares one, else <c>{"error", "parameter", "rule": "notExecuted", "status": 501}</c>.
    /// </summary>
    public static MockResponse NotExecuted(ContractSpec contract, EndpointSpec endpoint, string parameter, string message) =>
        Explained(Find(contract, endpoint, 501), 501, new BadInput(parameter, "notExecuted", message));

    private static MockResponse Explained(ErrorSpec? error, int status, BadInput bad)
    {
        var (message, parameter, rule) = (bad.Message, bad.Parameter, bad.Rule);
        var headers = (error?.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)) ?? Enumerable.Empty<KeyValuePair<string, string>>())
            .Append(new KeyValuePair<string, string>(RuleHeader, rule))
            .ToArray();
        JsonObject obj;
        if (error?.Fields is { } fields)
        {
            try
            {
                obj = error.Body is { } body && JsonNode.Parse(body) is JsonObject parsed ? parsed : new JsonObject();
            }
            catch (JsonException)
            {
                obj = new JsonObject();
            }

            if (fields.Message is { } m)
            {
                obj[m] = message;
            }

            if (fields.Parameter is { } p)
            {
                obj[p] = parameter;
            }

            if (fields.Code is { } c && (bad.Code ?? fields.DocumentedCode) is { } code)
            {
                obj[c] = code;
                foreach (var copy in fields.CodeCopies)
                {
                    obj[copy] = code;
                }
            }
        }
        else
        {
            obj = new JsonObject { ["error"] = message, ["parameter"] = parameter, ["rule"] = rule, ["status"] = status };
        }

        return new MockResponse(status, Encoding.UTF8.GetBytes(obj.ToJsonString(ItemStore.JsonOptions)), headers);
    }

    private static ErrorSpec? Find(ContractSpec? contract, EndpointSpec? endpoint, int status)
    {
        if (contract is null)
        {
            return null;
        }

        var errors = endpoint is null ? (IEnumerable<ErrorSpec>)contract.Errors : contract.ErrorsFor(endpoint);
        return errors.FirstOrDefault(e => e.Status == status);
    }
}
