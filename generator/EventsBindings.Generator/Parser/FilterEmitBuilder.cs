using EventsBindings.Generator.Model;
using EventsBindings.Spec.Model;

namespace EventsBindings.Generator.Parser;

/// <summary>
/// The typed SCIM filter builders of a contract: for each scim parameter, a static class over its endpoint's item
/// model with one typed attribute per filterable path; and the rate-limit headers for the client's descriptor.
/// </summary>
internal static class FilterEmitBuilder
{
    private const string Filtering = "global::EventsBindings.Filtering";

    public static ContractEmit Apply(ContractSpec contract, ContractEmit emit)
    {
        var ns = "global::" + contract.Namespace;
        var reserved = new HashSet<string>(StringComparer.Ordinal) { emit.ClientName, emit.ClientName + "Options", contract.Name + "Server" };
        foreach (var m in contract.Models)
        {
            reserved.Add(m.Name);
        }

        foreach (var e in contract.Enums)
        {
            reserved.Add(e.Name);
        }

        foreach (var e in emit.Endpoints)
        {
            reserved.Add(e.QueryTypeName);
        }

        var filters = new List<FilterEmit>();
        var endpoints = new List<EndpointEmit>();
        foreach (var endpoint in emit.Endpoints)
        {
            var spec = contract.FindEndpoint(endpoint.Name)!;
            var model = spec.Response.Model is { } name ? contract.FindModel(name) : null;
            var changed = false;
            var parameters = new List<ParameterEmit>();
            foreach (var p in endpoint.QueryParameters)
            {
                var ps = spec.FindParameter(p.WireName)!;
                if (ps.Semantics.Kind == SemanticsKind.Keywords && model is not null)
                {
                    parameters.Add(p with { KeywordFields = string.Join(", ", FilterPaths.For(contract, model, ps.Semantics).Select(f => f.Path)) });
                    changed = true;
                    continue;
                }

                if (ps.Semantics.Kind != SemanticsKind.Scim || model is null)
                {
                    parameters.Add(p);
                    continue;
                }

                var attributes = Attributes(contract, model, ps.Semantics, ns);
                var existing = filters.FirstOrDefault(f => f.ModelName == model.Name && f.Attributes == attributes);
                if (existing is null)
                {
                    var className = model.Name + "Filter";
                    if (reserved.Contains(className) || filters.Exists(f => f.ClassName == className))
                    {
                        className = endpoint.Name + p.PropertyName + "Filter";
                    }

                    var suffix = 2;
                    var baseName = className;
                    while (reserved.Contains(className) || filters.Exists(f => f.ClassName == className))
                    {
                        className = baseName + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        suffix++;
                    }

                    existing = new FilterEmit(className, model.Name, $"'{p.WireName}' of {endpoint.Name}", Rename(attributes, className));
                    filters.Add(existing);
                }
                else
                {
                    filters[filters.IndexOf(existing)] = existing = existing with { Parameters = existing.Parameters + $", '{p.WireName}' of {endpoint.Name}" };
                }

                var expression = p.PropertyName + "Expression";
                var taken = endpoint.QueryParameters.Any(q => q.PropertyName == expression) || expression == endpoint.QueryTypeName || expression == "Clone" || expression == "ApplyTo";
                parameters.Add(p with { ScimFilterClass = existing.ClassName, ExpressionProperty = taken ? null : expression });
                changed = true;
            }

            endpoints.Add(changed ? endpoint with { QueryParameters = parameters.ToEquatableArray() } : endpoint);
        }

        return emit with
        {
            Endpoints = endpoints.ToEquatableArray(),
            Filters = filters.ToEquatableArray(),
            RateLimit = contract.RateLimit is { } r ? new RateLimitEmit(r.Limit, r.Remaining, r.Reset, r.ResetKind.ToString()) : null,
        };
    }

    /// <summary>Member names may not equal their class's name; the builder's property names are re-checked once the class is named.</summary>
    private static EquatableArray<FilterAttributeEmit> Rename(EquatableArray<FilterAttributeEmit> attributes, string className) =>
        attributes.Select(a => a.PropertyName == className ? a with { PropertyName = a.PropertyName + "Attribute" } : a).ToEquatableArray();

    private static EquatableArray<FilterAttributeEmit> Attributes(ContractSpec contract, ModelSpec model, SemanticsSpec semantics, string ns)
    {
        var result = new List<FilterAttributeEmit>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in FilterPaths.For(contract, model, semantics))
        {
            var (propertyName, description) = Describe(contract, model, path.Path);
            var unique = propertyName;
            var n = 2;
            while (!names.Add(unique))
            {
                unique = propertyName + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                n++;
            }

            var (type, construction) = AttributeType(contract, path, ns);
            result.Add(new FilterAttributeEmit(unique, path.Path, path.Type.ToString(), type, construction, description));
        }

        return result.ToEquatableArray();
    }

    private static (string Name, string? Description) Describe(ContractSpec contract, ModelSpec model, string path)
    {
        var name = string.Empty;
        string? description = null;
        ModelSpec? current = model;
        foreach (var step in path.Split('.'))
        {
            var field = current?.FindField(step);
            if (field is null)
            {
                break;
            }

            name += field.CSharpName;
            description = field.Description;
            current = field.Type.Kind == TypeKind.Model ? contract.FindModel(field.Type.Name!) : null;
        }

        return (name, description);
    }

    private static (string Type, string Construction) AttributeType(ContractSpec contract, FilterPath path, string ns)
    {
        var quoted = SourceLiteral(path.Path);
        var scalar = path.Scalar;
        switch (scalar.Kind)
        {
            case TypeKind.String:
                return ($"{Filtering}.ScimStringAttribute", $"new({quoted})");
            case TypeKind.Enum:
                var e = contract.FindEnum(scalar.Name!);
                var format = e?.UnderlyingType is TypeKind.Int32 or TypeKind.Int64 ? $"{Filtering}.ScimValue.Number(v.Value)" : $"{Filtering}.ScimValue.String(v.Value)";
                return ($"{Filtering}.ScimEqualityAttribute<{ns}.{scalar.Name}>", $"new({quoted}, static v => {format})");
            case TypeKind.Boolean:
                return ($"{Filtering}.ScimEqualityAttribute<bool>", $"new({quoted}, static v => {Filtering}.ScimValue.Boolean(v))");
            case TypeKind.Int32:
            case TypeKind.Int64:
                return ($"{Filtering}.ScimOrderedAttribute<long>", $"new({quoted}, static v => {Filtering}.ScimValue.Number(v))");
            case TypeKind.Number:
                return ($"{Filtering}.ScimOrderedAttribute<double>", $"new({quoted}, static v => {Filtering}.ScimValue.Number(v))");
            case TypeKind.Date:
                return ($"{Filtering}.ScimOrderedAttribute<global::System.DateOnly>", $"new({quoted}, static v => {Filtering}.ScimValue.Date(v))");
            default:
                return ($"{Filtering}.ScimOrderedAttribute<global::System.DateTimeOffset>", $"new({quoted}, static v => {Filtering}.ScimValue.Instant(v))");
        }
    }

    private static string SourceLiteral(string text) => SourceLiterals.Quote(text);
}
