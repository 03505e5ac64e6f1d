using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>The parser's <c>auth</c> part: the schemes, their kinds and options, and the security lists that name them.</summary>
internal sealed partial class ContractParser
{
    private sealed record SchemeEntry(AuthSchemeSpec Spec, YNode Node, YNode? EndpointNode, YNode? TokenFieldNode);

    private List<SchemeEntry> ReadAuth(YMapping? mapping)
    {
        var result = new List<SchemeEntry>();
        if (mapping is null)
        {
            return result;
        }

        var kinds = new Dictionary<string, AuthKind>(StringComparer.Ordinal)
        {
            ["apiKey"] = AuthKind.ApiKey,
            ["basic"] = AuthKind.Basic,
            ["bearer"] = AuthKind.Bearer,
            ["refreshToken"] = AuthKind.RefreshToken,
            ["authorization"] = AuthKind.Authorization,
        };
        var authorizationSchemes = new Dictionary<string, YScalar>(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (!Names.IsIdentifier(name))
            {
                _context.Error(DiagnosticIds.InvalidIdentifier, $"The auth scheme name '{MapReader.Truncate(name)}' is not a valid C# identifier.", entry.Key);
            }

            if (!names.Add(name))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The auth scheme '{name}' is declared twice.", entry.Key);
                continue;
            }

            if (entry.Value is not YMapping schemeNode)
            {
                _context.Error(DiagnosticIds.WrongType, $"The auth scheme '{name}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var reader = new MapReader(_context, schemeNode, $"the auth scheme '{name}'", ContractKeys.AuthScheme);
            var kind = reader.Choice("kind", kinds, required: true);
            var header = reader.Scalar("header", required: kind == AuthKind.ApiKey);
            var endpoint = reader.Scalar("endpoint", required: kind == AuthKind.RefreshToken);
            var tokenField = reader.Scalar("tokenField", required: kind == AuthKind.RefreshToken);
            if (kind != AuthKind.ApiKey && header is not null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "'header' applies only to apiKey schemes.", header);
            }

            if (kind != AuthKind.RefreshToken && (endpoint ?? tokenField) is { } stray)
            {
                _context.Error(DiagnosticIds.InvalidValue, "'endpoint' and 'tokenField' apply only to refreshToken schemes.", stray);
            }

            if (header is not null && !IsToken(header.Value))
            {
                _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(header.Value)}' is not a valid HTTP header name.", header);
            }

            var authScheme = reader.Scalar("scheme", required: kind == AuthKind.Authorization);
            if (kind is not null && kind != AuthKind.Authorization && authScheme is not null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "'scheme' applies only to authorization schemes.", authScheme);
                authScheme = null;
            }
            else if (authScheme is not null)
            {
                if (!IsToken(authScheme.Value))
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(authScheme.Value)}' is not a valid HTTP auth scheme name (a token: letters, digits and !#$%&'*+-.^_`|~).", authScheme);
                    authScheme = null;
                }
                else if (string.Equals(authScheme.Value, "Bearer", StringComparison.OrdinalIgnoreCase) || string.Equals(authScheme.Value, "Basic", StringComparison.OrdinalIgnoreCase))
                {
                    var own = authScheme.Value.ToLowerInvariant();
                    _context.Error(DiagnosticIds.InvalidValue, $"The scheme '{authScheme.Value}' has its own kind: write 'kind: {own}' instead of 'kind: authorization, scheme: {authScheme.Value}'.", authScheme);
                    authScheme = null;
                }
                else if (authorizationSchemes.TryGetValue(authScheme.Value, out _))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"Another auth scheme already sends 'Authorization: {authScheme.Value}' (scheme names are compared case-insensitively).", authScheme);
                    authScheme = null;
                }
                else
                {
                    authorizationSchemes[authScheme.Value] = authScheme;
                }
            }

            if (kind is { } k)
            {
                result.Add(new SchemeEntry(
                    new AuthSchemeSpec(name, k, header?.Value, endpoint?.Value, tokenField?.Value, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")))
                    {
                        AuthorizationScheme = authScheme?.Value,
                    },
                    entry.Key,
                    endpoint,
                    tokenField));
            }
        }

        return result;
    }

    private void CheckSchemes(List<SchemeEntry> schemes, List<EndpointSpec> endpoints, YMapping? authNode)
    {
        foreach (var scheme in schemes)
        {
            if (scheme.Spec.Kind != AuthKind.RefreshToken || scheme.EndpointNode is null)
            {
                continue;
            }

            var endpoint = endpoints.Find(e => e.Name == scheme.Spec.ExchangeEndpoint);
            if (endpoint is null)
            {
                _context.Error(DiagnosticIds.UnknownScheme, $"The exchange endpoint '{scheme.Spec.ExchangeEndpoint}' does not exist{Suggest.DidYouMean(scheme.Spec.ExchangeEndpoint!, endpoints.Select(e => e.Name))}.", scheme.EndpointNode);
                continue;
            }

            if (endpoint.Response.Kind != ResponseKind.Token)
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"The exchange endpoint '{endpoint.Name}' must answer with 'kind: token', not {endpoint.Response.Kind.ToString().ToLowerInvariant()}.", scheme.EndpointNode);
                continue;
            }

            var model = endpoint.Response.Model is { } m ? _models.Find(x => x.Name == m) : null;
            if (model is not null && scheme.TokenFieldNode is not null && model.FindField(scheme.Spec.TokenField!) is null)
            {
                _context.Error(DiagnosticIds.UnknownField, $"The model '{model.Name}' has no field '{scheme.Spec.TokenField}'{Suggest.DidYouMean(scheme.Spec.TokenField!, model.Fields.Select(f => f.JsonName))}.", scheme.TokenFieldNode);
            }
        }
    }

    private EquatableArray<string> ReadSecurity(MapReader reader, string key, List<SchemeEntry> schemes, bool required)
    {
        var result = new List<string>();
        foreach (var item in reader.ScalarList(key, required))
        {
            if (!schemes.Exists(s => s.Spec.Name == item.Value))
            {
                _context.Error(DiagnosticIds.UnknownScheme, $"'{MapReader.Truncate(item.Value)}' is not an auth scheme{Suggest.DidYouMean(item.Value, schemes.Select(s => s.Spec.Name))}.", item);
                continue;
            }

            if (result.Contains(item.Value))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The scheme '{item.Value}' appears twice in '{key}'.", item);
                continue;
            }

            result.Add(item.Value);
        }

        return result.ToEquatableArray();
    }
}
