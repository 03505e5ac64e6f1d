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
            else if (Names.IsLowercaseTypeName(entry.Key.Value))
            {
                // C# reserves type names of lowercase ASCII letters only for future keywords (warning CS8981, an
                // error under warnings-as-errors): the generated type would not compile there.
                _context.Error(DiagnosticIds.InvalidIdentifier, $"The {what} name '{entry.Key.Value}' has only lowercase letters, which C# reserves for keywords (CS8981); write it in PascalCase ('{Names.ToPascalCase(entry.Key.Value)}').", entry.Key);
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
