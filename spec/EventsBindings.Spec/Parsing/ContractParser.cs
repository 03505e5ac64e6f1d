using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>
/// Reads one contract's YAML into a <see cref="ContractSpec"/> and checks it, reporting every
/// problem with its location. Validation happens here, while the YAML nodes (and so the locations)
/// are at hand; the resulting model holds no locations.
/// </summary>
internal sealed partial class ContractParser
{
    private static readonly Dictionary<string, TypeKind> BuiltinTypes = new(StringComparer.Ordinal)
    {
        ["int32"] = TypeKind.Int32,
        ["int64"] = TypeKind.Int64,
        ["number"] = TypeKind.Number,
        ["boolean"] = TypeKind.Boolean,
        ["string"] = TypeKind.String,
        ["date"] = TypeKind.Date,
        ["timestamp"] = TypeKind.Timestamp,
        ["json"] = TypeKind.Json,
    };

    private static readonly Dictionary<string, TimestampEncoding> Encodings = new(StringComparer.Ordinal)
    {
        ["isoLocal"] = TimestampEncoding.IsoLocal,
        ["isoUtc"] = TimestampEncoding.IsoUtc,
        ["iso"] = TimestampEncoding.Iso,
        ["epochMillis"] = TimestampEncoding.EpochMillis,
        ["epochNanos"] = TimestampEncoding.EpochNanos,
    };

    private readonly ParseContext _context;
    private readonly Dictionary<string, YNode> _enumNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YNode> _modelNames = new(StringComparer.Ordinal);
    private readonly List<EnumSpec> _enums = new();
    private readonly List<ModelSpec> _models = new();
    private readonly List<(string Model, TypeRef? Type, YScalar Node)> _fromHints = new();
    private EquatableArray<ErrorSpec> _contractErrors = EquatableArray<ErrorSpec>.Empty;

    private ContractParser(ParseContext context) => _context = context;

    /// <summary>Test hook: runs at the start of every parse, inside the last-resort catch (tests inject a fault with it).</summary>
    internal static Action<string>? FaultInjection { get; set; }

    public static ContractParseResult Parse(string text, string file)
    {
        var context = new ParseContext(file, text);
        ContractSpec? contract = null;
        try
        {
            FaultInjection?.Invoke(file);
            var root = YamlTree.Parse(text, file, context.Diagnostics);
            if (root is YMapping mapping)
            {
                contract = new ContractParser(context).ReadContract(mapping);
            }
            else if (root is null && context.Diagnostics.Count == 0)
            {
                context.Add(YamlTree.Make(DiagnosticIds.MissingKey, "The contract is empty.", file, YamlDotNet.Core.Mark.Empty, YamlDotNet.Core.Mark.Empty));
            }
            else if (root is YScalar { IsNull: true })
            {
                context.Add(YamlTree.Make(DiagnosticIds.MissingKey, "The contract is empty.", file, YamlDotNet.Core.Mark.Empty, YamlDotNet.Core.Mark.Empty));
            }
            else if (root is not null)
            {
                context.Error(DiagnosticIds.WrongType, $"A contract is a mapping, not {root.KindName}.", root);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Bad input is data, not an exception: a bug in here must not take the generator or the mock down.
            contract = null;
            context.Add(YamlTree.Make(DiagnosticIds.Internal, $"Internal error in the contract parser ({ex.GetType().Name}: {ex.Message}); please report it with this contract.", file, YamlDotNet.Core.Mark.Empty, YamlDotNet.Core.Mark.Empty));
        }

        var diagnostics = context.Diagnostics
            .OrderBy(d => d.Location.StartLine)
            .ThenBy(d => d.Location.StartColumn)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToEquatableArray();
        return new ContractParseResult(context.HasErrors ? null : contract, diagnostics);
    }

    private ContractSpec? ReadContract(YMapping root)
    {
        var top = new MapReader(_context, root, "the contract", ContractKeys.Contract);
        var format = top.Long("format", required: true);
        if (format is not null && format != 1)
        {
            _context.Error(DiagnosticIds.UnsupportedFormat, $"Format {format} is not supported; this parser reads format 1.", top.Node("format")!);
        }

        var name = ReadIdentifier(top, "name", required: true);
        var ns = top.Scalar("namespace", required: true);
        if (ns is not null && !Names.IsNamespace(ns.Value))
        {
            _context.Error(DiagnosticIds.InvalidIdentifier, $"'{MapReader.Truncate(ns.Value)}' is not a valid C# namespace.", ns);
        }

        var title = top.String("title", required: true);
        var docs = top.Scalar("docs");
        if (docs is not null)
        {
            CheckUrl(docs);
        }

        // Names first, so that types can refer to models and enums declared anywhere in the file.
        var enumsNode = top.Map("enums");
        var modelsNode = top.Map("models", required: true);
        CollectNames(enumsNode, _enumNames, "enum");
        CollectNames(modelsNode, _modelNames, "model");
        foreach (var pair in _enumNames)
        {
            if (_modelNames.ContainsKey(pair.Key))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"'{pair.Key}' names both an enum and a model.", pair.Value);
            }
        }

        ReadEnums(enumsNode);
        ReadModels(modelsNode);

        var servers = ReadServers(top.Sequence("servers", required: true));
        var schemes = ReadAuth(top.Map("auth", required: true));
        var security = ReadSecurity(top, "security", schemes, required: true);
        var sharedParameters = ReadSharedParameterNodes(top.Map("parameters"));
        var errors = ReadErrors(top.Sequence("errors"), "the contract's errors");
        _contractErrors = errors;
        var endpoints = ReadEndpoints(top.Sequence("endpoints", required: true), sharedParameters, security, schemes);
        CheckSchemes(schemes, endpoints, top.Map("auth"));
        var mock = top.Map("mock") is { } mockNode ? ReadMock(mockNode, schemes) : null;
        CheckFromHints(mock);
        var rateLimit = top.Map("rateLimit") is { } rateLimitNode ? ReadRateLimit(rateLimitNode) : null;

        if (name is null || ns is null || title is null)
        {
            return null;
        }

        return new ContractSpec(
            name,
            ns.Value,
            title,
            top.String("version"),
            docs?.Value,
            top.String("description"),
            _context.ReadProvenance(top.Node("provenance")),
            servers.ToEquatableArray(),
            schemes.Select(s => s.Spec).OrderBy(s => s.Name, StringComparer.Ordinal).ToEquatableArray(),
            security,
            _enums.OrderBy(e => e.Name, StringComparer.Ordinal).ToEquatableArray(),
            _models.OrderBy(m => m.Name, StringComparer.Ordinal).ToEquatableArray(),
            errors,
            endpoints.ToEquatableArray(),
            mock)
        {
            RateLimit = rateLimit,
        };
    }

    private void CollectNames(YMapping? mapping, Dictionary<string, YNode> names, string what)
    {
        if (mapping is null)
        {
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            if (!Names.IsIdentifier(entry.Key.Value))
            {
                _context.Error(DiagnosticIds.InvalidIdentifier, $"The {what} name '{MapReader.Truncate(entry.Key.Value)}' is not a valid C# identifier.", entry.Key);
            }

            if (names.ContainsKey(entry.Key.Value))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The {what} '{entry.Key.Value}' is declared twice.", entry.Key);
                continue;
            }

            names[entry.Key.Value] = entry.Key;
        }
    }

    private string? ReadIdentifier(MapReader reader, string key, bool required, string? fallback = null)
    {
        var scalar = reader.Scalar(key, required);
        if (scalar is null)
        {
            return fallback;
        }

        if (!Names.IsIdentifier(scalar.Value))
        {
            _context.Error(DiagnosticIds.InvalidIdentifier, $"'{MapReader.Truncate(scalar.Value)}' ({key} in {reader.What}) is not a valid C# identifier.", scalar);
            return fallback;
        }

        return scalar.Value;
    }

    private void CheckUrl(YScalar scalar)
    {
        if (!Uri.TryCreate(scalar.Value, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            _context.Error(DiagnosticIds.InvalidUrl, $"'{MapReader.Truncate(scalar.Value)}' is not an absolute http(s) URL.", scalar);
        }
    }

    private List<ServerSpec> ReadServers(YSequence? sequence)
    {
        var result = new List<ServerSpec>();
        if (sequence is null)
        {
            return result;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        YNode? firstDefault = null;
        foreach (var item in sequence.Items)
        {
            if (item is not YMapping mapping)
            {
                _context.Error(DiagnosticIds.WrongType, $"A server is a mapping, not {item.KindName}.", item);
                continue;
            }

            var reader = new MapReader(_context, mapping, "a server", ContractKeys.Server);
            var name = ReadIdentifier(reader, "name", required: true);
            var url = reader.Scalar("url", required: true);
            var isDefault = reader.Bool("default");
            var variables = ReadServerVariables(reader);
            if (url is not null && (variables is not null || url.Value.IndexOf('{') >= 0 || url.Value.IndexOf('}') >= 0))
            {
                CheckServerTemplate(url, variables ?? new List<(ServerVariableSpec Spec, YScalar Key)>());
            }
            else if (url is not null)
            {
                CheckUrl(url);
            }

            if (name is "Default" or "GetUri" && variables is { Count: > 0 })
            {
                _context.Error(DiagnosticIds.InvalidIdentifier, $"A server with variables may not be named '{name}' (its factory method would clash with the generated {name} member).", reader.Node("name")!);
            }

            if (name is not null && !names.Add(name))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The server '{name}' is declared twice.", reader.Node("name")!);
            }

            if (isDefault)
            {
                if (firstDefault is not null)
                {
                    _context.Error(DiagnosticIds.InvalidValue, "Only one server may be the default.", reader.Node("default")!);
                }

                firstDefault ??= mapping;
            }

            if (name is not null && url is not null)
            {
                result.Add(new ServerSpec(name, url.Value.TrimEnd('/'), isDefault, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")))
                {
                    Variables = OrderByUrl(url.Value, variables),
                });
            }
        }

        if (result.Count > 0 && firstDefault is null)
        {
            result[0] = result[0] with { IsDefault = true };
        }

        return result;
    }

    /// <summary>The <c>{name}</c> placeholders of a URL template, in order of first appearance; null when a brace is unbalanced.</summary>
    internal static List<string>? Placeholders(string url)
    {
        var result = new List<string>();
        var index = 0;
        while (index < url.Length)
        {
            var open = url.IndexOf('{', index);
            var close = url.IndexOf('}', index);
            if (open < 0 && close < 0)
            {
                break;
            }

            if (open < 0 || (close >= 0 && close < open))
            {
                return null;
            }

            var end = url.IndexOf('}', open + 1);
            var nested = url.IndexOf('{', open + 1);
            if (end < 0 || (nested >= 0 && nested < end))
            {
                return null;
            }

            var name = url.Substring(open + 1, end - open - 1);
            if (!result.Contains(name))
            {
                result.Add(name);
            }

            index = end + 1;
        }

        return result;
    }

    private List<(ServerVariableSpec Spec, YScalar Key)>? ReadServerVariables(MapReader server)
    {
        var mapping = server.Map("variables");
        if (mapping is null)
        {
            return null;
        }

        var result = new List<(ServerVariableSpec, YScalar)>();
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (!Names.IsIdentifier(name))
            {
                _context.Error(DiagnosticIds.InvalidIdentifier, $"The server variable name '{MapReader.Truncate(name)}' is not a valid C# identifier (it becomes a parameter of the server's factory).", entry.Key);
                continue;
            }

            if (result.Exists(v => v.Item1.Name == name))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The server variable '{name}' is declared twice.", entry.Key);
                continue;
            }

            string? defaultValue = null;
            string? description = null;
            var allowed = new List<string>();
            if (entry.Value is YMapping node)
            {
                var reader = new MapReader(_context, node, $"the server variable '{name}'", ContractKeys.ServerVariable);
                var defaultNode = reader.Scalar("default");
                description = reader.String("description");
                foreach (var item in reader.ScalarList("enum"))
                {
                    if (!CheckServerVariableValue(item, name))
                    {
                        continue;
                    }

                    if (allowed.Contains(item.Value))
                    {
                        _context.Error(DiagnosticIds.DuplicateName, $"The value '{MapReader.Truncate(item.Value)}' appears twice in the enum of the server variable '{name}'.", item);
                        continue;
                    }

                    allowed.Add(item.Value);
                }

                if (reader.Node("enum") is YSequence { Items.Count: 0 } emptyEnum)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"The enum of the server variable '{name}' is empty; list the allowed values or drop 'enum'.", emptyEnum);
                }

                if (defaultNode is not null && CheckServerVariableValue(defaultNode, name))
                {
                    defaultValue = defaultNode.Value;
                    if (allowed.Count > 0 && !allowed.Contains(defaultValue))
                    {
                        _context.Error(DiagnosticIds.InvalidValue, $"The default '{MapReader.Truncate(defaultValue)}' of the server variable '{name}' is not in its enum{Suggest.DidYouMean(defaultValue, allowed)}.", defaultNode);
                    }
                }
            }
            else if (entry.Value is not YScalar { IsNull: true })
            {
                _context.Error(DiagnosticIds.WrongType, $"The server variable '{name}' must be a mapping (default, description, enum), not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            result.Add((new ServerVariableSpec(name, defaultValue, description, allowed.ToEquatableArray()), entry.Key));
        }

        return result;
    }

    private bool CheckServerVariableValue(YScalar value, string variable)
    {
        foreach (var c in value.Value)
        {
            if (c is '/' or '?' or '#' or '@' or '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                _context.Error(DiagnosticIds.InvalidValue, $"A value of the server variable '{variable}' may not contain '/', '?', '#', '@', braces or whitespace ('{MapReader.Truncate(value.Value)}').", value);
                return false;
            }
        }

        if (value.Value.Length == 0)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"A value of the server variable '{variable}' may not be empty.", value);
            return false;
        }

        return true;
    }

    private void CheckServerTemplate(YScalar url, List<(ServerVariableSpec Spec, YScalar Key)> variables)
    {
        var placeholders = Placeholders(url.Value);
        if (placeholders is null)
        {
            _context.Error(DiagnosticIds.InvalidUrl, $"The braces of '{MapReader.Truncate(url.Value)}' do not pair up: a placeholder is written {{name}}.", url);
            return;
        }

        var ok = true;
        foreach (var placeholder in placeholders)
        {
            if (!variables.Exists(v => v.Spec.Name == placeholder))
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The placeholder '{{{MapReader.Truncate(placeholder)}}}' of the server URL has no variable under 'variables'{Suggest.DidYouMean(placeholder, variables.Select(v => v.Spec.Name))}.", url);
                ok = false;
            }
        }

        foreach (var variable in variables)
        {
            if (!placeholders.Contains(variable.Spec.Name))
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The server variable '{variable.Spec.Name}' does not appear as {{{variable.Spec.Name}}} in the URL '{MapReader.Truncate(url.Value)}'.", variable.Key);
            }
        }

        if (!ok)
        {
            return;
        }

        // The URL must be an absolute http(s) URL whatever the values: check it with each variable's default
        // (or a plain stand-in), and check that no variable lands in the scheme.
        var expanded = url.Value;
        foreach (var variable in variables)
        {
            expanded = expanded.Replace("{" + variable.Spec.Name + "}", variable.Spec.Default ?? "example");
        }

        var schemeEnd = url.Value.IndexOf("://", StringComparison.Ordinal);
        var firstBrace = url.Value.IndexOf('{');
        if (!Uri.TryCreate(expanded, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http") || (firstBrace >= 0 && (schemeEnd < 0 || firstBrace < schemeEnd)))
        {
            _context.Error(DiagnosticIds.InvalidUrl, $"'{MapReader.Truncate(url.Value)}' is not an absolute http(s) URL once its variables are filled ('{MapReader.Truncate(expanded)}').", url);
        }
    }

    private static EquatableArray<ServerVariableSpec> OrderByUrl(string url, List<(ServerVariableSpec Spec, YScalar Key)>? variables)
    {
        if (variables is null)
        {
            return EquatableArray<ServerVariableSpec>.Empty;
        }

        var order = Placeholders(url) ?? new List<string>();
        return variables
            .Select(v => v.Spec)
            .OrderBy(v => order.IndexOf(v.Name) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToEquatableArray();
    }

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

    private void ReadEnums(YMapping? mapping)
    {
        if (mapping is null)
        {
            return;
        }

        var underlying = new Dictionary<string, TypeKind>(StringComparer.Ordinal)
        {
            ["string"] = TypeKind.String,
            ["int32"] = TypeKind.Int32,
            ["int64"] = TypeKind.Int64,
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            if (!seen.Add(entry.Key.Value))
            {
                continue;
            }

            if (entry.Value is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"The enum '{entry.Key.Value}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var reader = new MapReader(_context, node, $"the enum '{entry.Key.Value}'", ContractKeys.Enum);
            var type = reader.Choice("type", underlying, required: true);
            var caseInsensitive = reader.Bool("caseInsensitive");
            var values = new List<EnumValueSpec>();
            var valueTexts = new HashSet<string>(caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var valueNames = new HashSet<string>(StringComparer.Ordinal);
            var sequence = reader.Sequence("values", required: true);
            foreach (var item in sequence?.Items ?? new List<YNode>())
            {
                if (item is not YMapping valueNode)
                {
                    _context.Error(DiagnosticIds.WrongType, $"An enum value is a mapping with 'value' and 'csharp', not {item.KindName}.", item);
                    continue;
                }

                var valueReader = new MapReader(_context, valueNode, $"a value of the enum '{entry.Key.Value}'", ContractKeys.EnumValue);
                var value = valueReader.Scalar("value", required: true);
                if (value is null)
                {
                    continue;
                }

                if (type is TypeKind.Int32 or TypeKind.Int64 && !long.TryParse(value.Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    _context.Error(DiagnosticIds.WrongType, $"The enum '{entry.Key.Value}' is of type {type.ToString()!.ToLowerInvariant()}; '{MapReader.Truncate(value.Value)}' is not an integer.", value);
                    continue;
                }

                var csharp = ReadIdentifier(valueReader, "csharp", required: false, fallback: null) ?? Names.ToPascalCase(value.Value);
                if (!valueTexts.Add(value.Value))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The value '{value.Value}' appears twice in the enum '{entry.Key.Value}'.", value);
                    continue;
                }

                if (!valueNames.Add(csharp))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The C# name '{csharp}' appears twice in the enum '{entry.Key.Value}'.", valueReader.Node("csharp") ?? value);
                    continue;
                }

                values.Add(new EnumValueSpec(value.Value, csharp, valueReader.String("description"), _context.ReadProvenance(valueReader.Node("provenance"))));
            }

            if (type is { } t)
            {
                _enums.Add(new EnumSpec(entry.Key.Value, t, reader.Bool("ordered"), caseInsensitive, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")), values.ToEquatableArray())
                {
                    Closed = reader.Bool("closed"),
                });
            }
        }
    }

    private void ReadModels(YMapping? mapping)
    {
        if (mapping is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            if (!seen.Add(entry.Key.Value))
            {
                continue;
            }

            if (entry.Value is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"The model '{entry.Key.Value}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var what = $"the model '{entry.Key.Value}'";
            var reader = new MapReader(_context, node, what, ContractKeys.Model);
            var fields = new List<FieldSpec>();
            var jsonNames = new HashSet<string>(StringComparer.Ordinal);
            var csharpNames = new HashSet<string>(StringComparer.Ordinal) { entry.Key.Value };
            foreach (var item in reader.Sequence("fields", required: true)?.Items ?? new List<YNode>())
            {
                if (item is not YMapping fieldNode)
                {
                    _context.Error(DiagnosticIds.WrongType, $"A field of {what} is a mapping, not {item.KindName}.", item);
                    continue;
                }

                var field = ReadField(fieldNode, what, entry.Key.Value);
                if (field is null)
                {
                    continue;
                }

                if (!jsonNames.Add(field.JsonName))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The field '{field.JsonName}' appears twice in {what}.", fieldNode.Find("json") ?? fieldNode);
                    continue;
                }

                if (!csharpNames.Add(field.CSharpName))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The C# name '{field.CSharpName}' appears twice in {what} (or equals the model's name).", fieldNode.Find("csharp") ?? fieldNode.Find("json") ?? fieldNode);
                    continue;
                }

                fields.Add(field);
            }

            var rates = reader.Map("mock") is { } mockNode ? ReadRates(new MapReader(_context, mockNode, $"the mock hints of {what}", ContractKeys.ModelMock)) : null;
            _models.Add(new ModelSpec(entry.Key.Value, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")), fields.ToEquatableArray(), rates));
        }

        // Mock hints that name sibling fields can be checked once the model is complete.
        foreach (var entry in mapping.Entries)
        {
            if (entry.Value is YMapping node && _models.Find(m => m.Name == entry.Key.Value) is { } model)
            {
                CheckSiblingHints(node, model);
            }
        }
    }

    private FieldSpec? ReadField(YMapping node, string modelWhat, string modelName)
    {
        var reader = new MapReader(_context, node, $"a field of {modelWhat}", ContractKeys.Field);
        var json = reader.String("json", required: true);
        var type = ReadType(reader);
        var csharp = ReadIdentifier(reader, "csharp", required: false) ?? (json is null ? null : Names.ToPascalCase(json));
        var nullable = reader.Bool("nullable");
        var optional = reader.Bool("optional");
        var mock = reader.Map("mock") is { } mockNode ? ReadFieldMock(mockNode, type, nullable, optional, modelName) : null;
        if (json is null || csharp is null)
        {
            return null;
        }

        var unitUncertain = reader.Bool("unitUncertain");
        if (unitUncertain && type is not null && type.Encoding is not (TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos))
        {
            _context.Error(DiagnosticIds.InvalidValue, "'unitUncertain' applies only to timestamps with an epoch encoding (epochMillis, epochNanos).", reader.Node("unitUncertain") ?? node);
            unitUncertain = false;
        }

        return new FieldSpec(json, csharp, type ?? Unresolved, nullable, optional, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")), mock)
        {
            UnitUncertain = unitUncertain,
        };
    }

    private FieldMockSpec ReadFieldMock(YMapping node, TypeRef? type, bool nullable, bool optional, string modelName)
    {
        var reader = new MapReader(_context, node, "a field's mock hints", ContractKeys.FieldMock);
        var generate = reader.Scalar("generate");
        if (generate is not null && !MockGenerators.Names.Contains(generate.Value))
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(generate.Value)}' is not a mock generator; expected one of {string.Join(", ", MockGenerators.Names)}{Suggest.DidYouMean(generate.Value, MockGenerators.Names)}.", generate);
            generate = null;
        }

        var nullRate = Rate(reader, "nullRate");
        if (nullRate > 0 && !nullable)
        {
            _context.Error(
                DiagnosticIds.InvalidValue,
                optional ? "'nullRate' needs a nullable field; this one is only optional: use 'absentRate'." : "'nullRate' needs a field that is nullable; this one is neither nullable nor optional.",
                reader.Node("nullRate")!);
        }

        var absentRate = Rate(reader, "absentRate");
        if (absentRate > 0 && !optional)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'absentRate' needs a field that is optional; this one is not.", reader.Node("absentRate")!);
        }

        var fractionDigits = reader.Long("fractionDigits");
        if (fractionDigits is < 0 or > 7)
        {
            _context.Error(DiagnosticIds.OutOfBounds, "'fractionDigits' must lie between 0 and 7 (a .NET tick is the seventh digit).", reader.Node("fractionDigits")!);
            fractionDigits = null;
        }
        else if (fractionDigits is not null && type is not null && (type.Kind != TypeKind.Timestamp || type.Encoding is not (TimestampEncoding.Iso or TimestampEncoding.IsoLocal or TimestampEncoding.IsoUtc)))
        {
            _context.Error(DiagnosticIds.InvalidValue, "'fractionDigits' applies to timestamps with an ISO encoding (iso, isoLocal, isoUtc).", reader.Node("fractionDigits")!);
            fractionDigits = null;
        }

        var values = reader.ScalarList("values");
        if (type is not null)
        {
            foreach (var value in values)
            {
                CheckValueOfType(value, type.Element, caseInsensitive: false, "a mock value");
            }
        }

        if (reader.Scalar("from") is { } from)
        {
            _fromHints.Add((modelName, type, from));
        }

        return new FieldMockSpec(
            values.Select(v => v.Value).ToEquatableArray(),
            generate?.Value,
            nullRate,
            reader.String("describes"),
            reader.String("copyOf"),
            reader.String("from"),
            absentRate,
            (int?)fractionDigits);
    }

    /// <summary>A probability between 0 and 1 (EB1009 beyond), or null when the key is absent or not a number.</summary>
    private double? Rate(MapReader reader, string key)
    {
        var rate = reader.Double(key);
        if (rate is < 0 or > 1)
        {
            _context.Error(DiagnosticIds.OutOfBounds, $"'{key}' is a probability between 0 and 1.", reader.Node(key)!);
            return null;
        }

        return rate;
    }

    /// <summary>The <c>nullRate</c> and <c>absentRate</c> of a model's or the dataset's mock hints, or null when neither is set.</summary>
    private MockRatesSpec? ReadRates(MapReader reader)
    {
        var nullRate = Rate(reader, "nullRate");
        var absentRate = Rate(reader, "absentRate");
        return nullRate is null && absentRate is null ? null : new MockRatesSpec(nullRate, absentRate);
    }

    /// <summary>
    /// Checks a value written in YAML (a mock value, a combination, a sync setting) against a scalar
    /// type: EB1004 when it is of the wrong kind, EB1005 when it is not a value of an enum.
    /// </summary>
    private void CheckValueOfType(YScalar value, TypeRef type, bool caseInsensitive, string what)
    {
        if (type.IsArray || type.Kind is TypeKind.Json or TypeKind.String)
        {
            return;
        }

        if (type.Kind == TypeKind.Model)
        {
            _context.Error(DiagnosticIds.WrongType, $"{Capitalize(what)} cannot be a scalar: the type is the model '{type.Name}'.", value);
            return;
        }

        if (type.Kind == TypeKind.Enum)
        {
            var e = _enums.Find(x => x.Name == type.Name);
            if (e is not null && e.IndexOf(value.Value) < 0 && !(caseInsensitive && e.Values.Any(v => string.Equals(v.Value, value.Value, StringComparison.OrdinalIgnoreCase))))
            {
                _context.Error(DiagnosticIds.InvalidValue, $"{Capitalize(what)} '{MapReader.Truncate(value.Value)}' is not a value of the enum '{e.Name}'{Suggest.DidYouMean(value.Value, e.Values.Select(v => v.Value))}.", value);
            }

            return;
        }

        if (!JsonShapeChecker.FitsText(value.Value, type.Kind, type.Encoding))
        {
            _context.Error(DiagnosticIds.WrongType, $"{Capitalize(what)} '{MapReader.Truncate(value.Value)}' is not {type}{(type.Encoding == TimestampEncoding.None ? string.Empty : " (" + type.Encoding + ")")}.", value);
        }
    }

    private void CheckSiblingHints(YMapping modelNode, ModelSpec model)
    {
        var fieldsNode = modelNode.Find("fields") as YSequence;
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        var copyNodes = new Dictionary<string, YScalar>(StringComparer.Ordinal);
        foreach (var item in fieldsNode?.Items ?? new List<YNode>())
        {
            if (item is not YMapping fieldNode || fieldNode.Find("mock") is not YMapping mockNode)
            {
                continue;
            }

            var self = (fieldNode.Find("json") as YScalar)?.Value;
            foreach (var hint in mockNode.Entries)
            {
                if (hint.Key.Value is not ("describes" or "copyOf") || hint.Value is not YScalar target || target.IsNull)
                {
                    continue;
                }

                var sibling = model.FindField(target.Value);
                if (sibling is null)
                {
                    _context.Error(DiagnosticIds.UnknownField, $"'{hint.Key.Value}' names '{MapReader.Truncate(target.Value)}', which is not a field of the model '{model.Name}'{Suggest.DidYouMean(target.Value, model.Fields.Select(f => f.JsonName))}.", target);
                }
                else if (sibling.JsonName == self)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'{hint.Key.Value}' names the field itself ('{self}').", target);
                }
                else if (hint.Key.Value == "describes" && sibling.Type.Kind != TypeKind.Enum && !IsUnresolved(sibling.Type))
                {
                    _context.Error(DiagnosticIds.SemanticsMismatch, $"'describes' needs an enum field; '{sibling.JsonName}' is {sibling.Type}.", target);
                }
                else if (hint.Key.Value == "copyOf" && self is not null)
                {
                    copies[self] = sibling.JsonName;
                    copyNodes[self] = target;
                }
            }
        }

        // A chain of copies that comes back to its start would leave the mock without a value.
        var inReportedCycle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in copies.Keys)
        {
            if (inReportedCycle.Contains(start))
            {
                continue;
            }

            var current = start;
            for (var steps = 0; steps <= copies.Count && copies.TryGetValue(current, out var next); steps++)
            {
                if (next == start)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'copyOf' of '{start}' forms a cycle of copies in the model '{model.Name}'.", copyNodes[start]);
                    for (var member = start; inReportedCycle.Add(member) && copies.TryGetValue(member, out var following);)
                    {
                        member = following;
                    }

                    break;
                }

                current = next;
            }
        }
    }

    /// <summary>
    /// Stands for a type that could not be read (already reported), so that the field or parameter
    /// still exists and one mistake does not cascade into many diagnostics.
    /// </summary>
    private static readonly TypeRef Unresolved = new(TypeKind.Json, "<unresolved>", false, TimestampEncoding.None);

    private static bool IsUnresolved(TypeRef? type) => type is { Kind: TypeKind.Json, Name: "<unresolved>" };

    private TypeRef? ReadType(MapReader reader)
    {
        var scalar = reader.Scalar("type", required: true);
        var encodingNode = reader.Scalar("encoding");
        if (scalar is null)
        {
            return null;
        }

        var text = scalar.Value;
        var isArray = text.EndsWith("[]", StringComparison.Ordinal);
        var name = isArray ? text.Substring(0, text.Length - 2) : text;
        TypeRef? type;
        if (BuiltinTypes.TryGetValue(name, out var kind))
        {
            type = new TypeRef(kind, null, isArray, TimestampEncoding.None);
        }
        else if (_enumNames.ContainsKey(name))
        {
            type = new TypeRef(TypeKind.Enum, name, isArray, TimestampEncoding.None);
        }
        else if (_modelNames.ContainsKey(name))
        {
            type = new TypeRef(TypeKind.Model, name, isArray, TimestampEncoding.None);
        }
        else
        {
            var candidates = BuiltinTypes.Keys.Concat(_enumNames.Keys).Concat(_modelNames.Keys);
            _context.Error(DiagnosticIds.UnknownType, $"The type '{MapReader.Truncate(text)}' is neither a built-in type nor a model or enum of this contract{Suggest.DidYouMean(name, candidates)}.", scalar);
            return null;
        }

        if (type.Kind == TypeKind.Timestamp)
        {
            if (encodingNode is null)
            {
                _context.Error(DiagnosticIds.MissingKey, $"A timestamp needs an 'encoding' ({string.Join(", ", Encodings.Keys)}).", scalar);
                return null;
            }

            var encoding = reader.Choice("encoding", Encodings);
            return encoding is { } e ? type with { Encoding = e } : null;
        }

        if (encodingNode is not null)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'encoding' applies only to the type timestamp.", encodingNode);
        }

        return type;
    }

    private static bool IsToken(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The generators the mock server knows for field hints.</summary>
public static class MockGenerators
{
    /// <summary>The generator names a contract may use in <c>mock.generate</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(new[]
    {
        "uuid", "email", "fullName", "userName", "hostName", "ipv4", "ipPort", "macAddress", "serial", "url", "version",
        "sha256", "word", "sentence", "epochNanos",
    });
}
