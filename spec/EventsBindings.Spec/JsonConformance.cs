using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Parsing;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec;

/// <summary>
/// A way in which a JSON payload departs from a contract's model. <see cref="Line"/> and
/// <see cref="Column"/> are 1-based positions in the JSON text; <see cref="Path"/> is a JSON path
/// such as <c>$.data[2].user_principal.device.serial_number</c>.
/// </summary>
/// <param name="Id">The stable id: EB1020 (not JSON), EB1010 (wrong type), EB1011 (missing field), EB1501 (undeclared property, a warning), EB1006 (unknown model).</param>
/// <param name="Severity">Error, or warning for properties the model does not declare (clients keep and round-trip them).</param>
/// <param name="Path">Where in the JSON value the problem lies.</param>
/// <param name="Message">What is wrong, for people.</param>
/// <param name="Line">1-based line in the JSON text.</param>
/// <param name="Column">1-based column in the JSON text.</param>
public sealed record JsonProblem(string Id, SpecSeverity Severity, string Path, string Message, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"({Line},{Column}): {(Severity == SpecSeverity.Error ? "error" : "warning")} {Id}: {Message}";
}

/// <summary>
/// Checks JSON text against a contract's models: recorded fixtures, mock server output, live
/// responses. The same checks validate the examples inside contracts. Never throws on bad input.
/// </summary>
public static class JsonConformance
{
    /// <summary>
    /// Checks <paramref name="json"/> against the model <paramref name="modelName"/> (an array of it when
    /// <paramref name="isArray"/>), optionally wrapped as <c>{"envelope": …}</c>.
    /// </summary>
    /// <returns>Every problem found, errors and warnings; empty when the JSON conforms.</returns>
    public static EquatableArray<JsonProblem> Check(ContractSpec contract, string modelName, string json, bool isArray = false, string? envelope = null)
    {
        if (contract is null)
        {
            throw new ArgumentNullException(nameof(contract));
        }

        if (contract.FindModel(modelName ?? string.Empty) is null)
        {
            var problem = new JsonProblem(DiagnosticIds.UnknownType, SpecSeverity.Error, "$", $"The contract '{contract.Name}' has no model '{modelName}'.", 1, 1);
            return new EquatableArray<JsonProblem>(new[] { problem });
        }

        return Check(contract, new TypeRef(TypeKind.Model, modelName, isArray, TimestampEncoding.None), json, envelope);
    }

    /// <summary>Checks <paramref name="json"/> against any type of the contract (a model, an enum, a scalar type, an array).</summary>
    /// <returns>Every problem found, errors and warnings; empty when the JSON conforms.</returns>
    public static EquatableArray<JsonProblem> Check(ContractSpec contract, TypeRef? type, string json, string? envelope = null)
    {
        if (contract is null)
        {
            throw new ArgumentNullException(nameof(contract));
        }

        var problems = new List<JsonProblem>();
        try
        {
            var diagnostics = new List<SpecDiagnostic>();
            var root = YamlTree.Parse(json ?? string.Empty, string.Empty, diagnostics, YamlLimits.Json);
            if (diagnostics.Count > 0 || root is null)
            {
                var first = diagnostics.Count > 0 ? diagnostics[0] : null;
                problems.Add(new JsonProblem(
                    DiagnosticIds.ExampleJson,
                    SpecSeverity.Error,
                    "$",
                    "The text is not valid JSON: " + (first?.Message ?? "it is empty."),
                    first?.Location.StartLine ?? 1,
                    first?.Location.StartColumn ?? 1));
            }
            else
            {
                var models = new Dictionary<string, ModelSpec>(StringComparer.Ordinal);
                foreach (var model in contract.Models)
                {
                    models[model.Name] = model;
                }

                var enums = new Dictionary<string, EnumSpec>(StringComparer.Ordinal);
                foreach (var e in contract.Enums)
                {
                    enums[e.Name] = e;
                }

                var checker = new JsonShapeChecker(
                    name => models.TryGetValue(name, out var m) ? m : null,
                    name => enums.TryGetValue(name, out var e) ? e : null,
                    (id, severity, path, message, node) => problems.Add(new JsonProblem(id, severity, path, message, ToInt(node.Start.Line), ToInt(node.Start.Column))));
                checker.CheckDocument(root, type, envelope, json);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problems.Add(new JsonProblem(DiagnosticIds.Internal, SpecSeverity.Error, "$", $"Internal error while checking JSON ({ex.GetType().Name}: {ex.Message}).", 1, 1));
        }

        return problems.ToEquatableArray();
    }

    /// <summary>Checks a response body of <paramref name="endpoint"/> (its model, list or count, and envelope).</summary>
    /// <returns>Every problem found, errors and warnings; empty when the JSON conforms.</returns>
    public static EquatableArray<JsonProblem> CheckResponse(ContractSpec contract, EndpointSpec endpoint, string json)
    {
        if (endpoint is null)
        {
            throw new ArgumentNullException(nameof(endpoint));
        }

        return Check(contract, ResponseType(endpoint.Response), json, endpoint.Response.Envelope);
    }

    /// <summary>Checks an error response body against the error's model (only JSON-ness when it has none).</summary>
    /// <returns>Every problem found, errors and warnings; empty when the JSON conforms.</returns>
    public static EquatableArray<JsonProblem> CheckError(ContractSpec contract, ErrorSpec error, string json)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        var type = error.Model is null ? null : new TypeRef(TypeKind.Model, error.Model, false, TimestampEncoding.None);
        return Check(contract, type, json);
    }

    /// <summary>The JSON type a response carries inside its envelope: the model, an array of it, or an integer count.</summary>
    public static TypeRef? ResponseType(ResponseSpec response)
    {
        if (response is null)
        {
            throw new ArgumentNullException(nameof(response));
        }

        return response.Kind switch
        {
            ResponseKind.List when response.Model is not null => new TypeRef(TypeKind.Model, response.Model, true, TimestampEncoding.None),
            ResponseKind.Item or ResponseKind.Token when response.Model is not null => new TypeRef(TypeKind.Model, response.Model, false, TimestampEncoding.None),
            ResponseKind.Count => new TypeRef(TypeKind.Int64, null, false, TimestampEncoding.None),
            _ => null,
        };
    }

    /// <summary>True when none of <paramref name="problems"/> is an error.</summary>
    public static bool Conforms(EquatableArray<JsonProblem> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.Severity == SpecSeverity.Error)
            {
                return false;
            }
        }

        return true;
    }

    private static int ToInt(long value) => (int)Math.Max(1, Math.Min(value, int.MaxValue));
}
