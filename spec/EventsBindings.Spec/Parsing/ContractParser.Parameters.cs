using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>The parser's parameters: shared and per-endpoint, their types, bounds, defaults (relative ones too) and semantics.</summary>
internal sealed partial class ContractParser
{
    private Dictionary<string, (YMapping Node, ParameterEntry? Entry)> ReadSharedParameterNodes(YMapping? mapping)
    {
        var result = new Dictionary<string, (YMapping, ParameterEntry?)>(StringComparer.Ordinal);
        if (mapping is null)
        {
            return result;
        }

        foreach (var entry in mapping.Entries)
        {
            if (result.ContainsKey(entry.Key.Value))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The parameter '{entry.Key.Value}' is declared twice.", entry.Key);
                continue;
            }

            if (entry.Value is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"The parameter '{entry.Key.Value}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            result[entry.Key.Value] = (node, ReadParameter(node, entry.Key.Value, entry.Key));
        }

        return result;
    }

    private ParameterEntry? ReadParameter(YMapping node, string? sharedName, YNode nameNode)
    {
        YScalar? relativeToNode = null;
        var what = sharedName is null ? "a parameter" : $"the parameter '{sharedName}'";
        var reader = new MapReader(_context, node, what, ContractKeys.Parameter);
        string? wireName = sharedName;
        if (sharedName is null)
        {
            wireName = reader.String("name", required: true);
        }
        else if (reader.Scalar("name") is { } inlineName && inlineName.Value != sharedName)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"A shared parameter's name is its key ('{sharedName}'); drop 'name' or make it equal.", inlineName);
        }

        var type = ReadType(reader);
        var csharp = ReadIdentifier(reader, "csharp", required: false) ?? (wireName is null ? null : Names.ToPascalCase(wireName));
        var locationChoice = reader.Choice("in", Locations);
        var location = locationChoice ?? ParameterLocation.Query;
        var unknownLocation = locationChoice is null && reader.Node("in") is YScalar { IsNull: false };
        var separator = reader.Scalar("separator");
        var minimum = reader.Long("minimum");
        var maximum = reader.Long("maximum");
        var relativeDefaultNode = reader.Node("default") as YMapping;
        var defaultNode = relativeDefaultNode is null ? reader.Scalar("default") : null;
        var relativeDefault = relativeDefaultNode is null ? null : ReadRelativeDefault(relativeDefaultNode, type, what, out relativeToNode);
        var required = reader.Bool("required") || location == ParameterLocation.Path;
        // Every parameter says what it does: the mock executes it, or it is declared opaque.
        // (A misspelt 'semantics' is reported as an unknown key with a "did you mean", not twice.)
        var semanticsMisspelt = node.Entries.Any(e => Array.IndexOf(ContractKeys.Parameter, e.Key.Value) < 0 && Suggest.DidYouMean(e.Key.Value, new[] { "semantics" }).Length > 0);
        var semanticsNode = reader.Map("semantics", required: !semanticsMisspelt);
        var semantics = new SemanticsSpec(SemanticsKind.None, null, false, false, WindowUnit.Days, null, null);
        YNode? semanticsFieldNode = null;
        IReadOnlyList<YScalar> pathNodes = Array.Empty<YScalar>();
        if (semanticsNode is not null)
        {
            var s = new MapReader(_context, semanticsNode, $"the semantics of {what}", ContractKeys.Semantics);
            var kind = s.Choice("kind", SemanticsKinds, required: true) ?? SemanticsKind.None;
            var needsField = kind is not (SemanticsKind.None or SemanticsKind.NewestN or SemanticsKind.Offset or SemanticsKind.PageSize or SemanticsKind.Opaque or SemanticsKind.Scim or SemanticsKind.Keywords or SemanticsKind.PageToken);
            var field = s.Scalar("field", required: needsField);
            semanticsFieldNode = field;
            semantics = new SemanticsSpec(
                kind,
                field?.Value,
                s.Bool("inclusive"),
                s.Bool("caseInsensitive"),
                s.Choice("unit", Units, required: kind == SemanticsKind.RelativeWindow) ?? WindowUnit.Days,
                s.String("ascending", required: kind == SemanticsKind.SortOrder),
                s.String("descending", required: kind == SemanticsKind.SortOrder))
            {
                MockIgnores = s.Choice("mock", OpaqueMockChoices) ?? false,
            };
            if (kind == SemanticsKind.Opaque && field is not null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "An opaque parameter acts on no declared field; drop 'field'.", field);
            }

            pathNodes = ReadFilterSemantics(s, kind, type, field, what, semanticsNode, ref semantics);

            if (kind == SemanticsKind.PageToken && field is not null)
            {
                _context.Error(DiagnosticIds.InvalidValue, "A pageToken parameter is an opaque position the server issues and acts on no declared field; drop 'field'.", field);
            }

            if (kind == SemanticsKind.PageToken && type is not null && !IsUnresolved(type) && type is not { IsArray: false, Kind: TypeKind.String })
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'pageToken' needs a string parameter (the server's opaque token); {what} is {type}.", semanticsNode);
            }

            if (kind != SemanticsKind.Opaque && s.Scalar("mock") is { } strayMock)
            {
                _context.Error(DiagnosticIds.InvalidValue, "'mock' applies only to 'kind: opaque' (the mock executes every other kind).", strayMock);
            }
            if (kind == SemanticsKind.OneOf && type is { IsArray: false })
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'oneOf' needs a list type (such as string[]); {what} is {type}.", semanticsNode);
            }

            if (kind is SemanticsKind.NewestN or SemanticsKind.Offset or SemanticsKind.PageSize or SemanticsKind.RelativeWindow && type is not null && type.Kind is not (TypeKind.Int32 or TypeKind.Int64))
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'{s.String("kind")}' needs an integer parameter; {what} is {type}.", semanticsNode);
            }
        }

        if (type is { IsArray: true } && separator is null)
        {
            _context.Error(DiagnosticIds.MissingKey, $"{what} is a list ({type}) and needs a 'separator'.", node);
        }
        else if (type is { IsArray: false } && separator is not null)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'separator' applies only to list types.", separator);
        }

        if (type is { IsArray: true } && type.Element.Kind is TypeKind.Model or TypeKind.Json)
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"A parameter cannot carry {type}.", reader.Node("type")!);
        }

        if (type is not null && (type.IsArray || type.Kind is not (TypeKind.Int32 or TypeKind.Int64)) && (reader.Node("minimum") ?? reader.Node("maximum")) is { } bound)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'minimum' and 'maximum' bound integer parameters; {what} is {type}.", bound);
        }
        else if (type is { Kind: TypeKind.Int32 } && ((minimum is { } lo && (lo < int.MinValue || lo > int.MaxValue)) || (maximum is { } hi && (hi < int.MinValue || hi > int.MaxValue))))
        {
            _context.Error(DiagnosticIds.OutOfBounds, $"The bounds of {what} lie outside int32.", (reader.Node("minimum") ?? reader.Node("maximum"))!);
        }

        var boundsContradict = minimum is not null && maximum is not null && minimum > maximum;
        if (boundsContradict)
        {
            _context.Error(DiagnosticIds.OutOfBounds, $"The minimum ({minimum}) of {what} is above its maximum ({maximum}).", reader.Node("minimum")!);
        }

        if (defaultNode is not null && type is not null && !boundsContradict)
        {
            CheckDefault(defaultNode, type, minimum, maximum, what);
        }

        var ignoredWhen = reader.ScalarList("ignoredWhen");
        foreach (var other in ignoredWhen)
        {
            if (other.Value == wireName)
            {
                _context.Error(DiagnosticIds.InvalidValue, $"'ignoredWhen' of {what} names the parameter itself.", other);
            }
        }
        if (wireName is null || csharp is null)
        {
            return null;
        }

        var spec = new ParameterSpec(
            wireName,
            csharp,
            type ?? Unresolved,
            separator?.Value,
            location,
            required,
            defaultNode?.Value,
            minimum,
            maximum,
            reader.Bool("caseInsensitive"),
            ignoredWhen.Select(x => x.Value).ToEquatableArray(),
            semantics,
            reader.String("description"),
            _context.ReadProvenance(reader.Node("provenance")))
        {
            RelativeDefault = relativeDefault,
        };
        _ = nameNode;
        if (relativeDefault?.RelativeTo is { } self && self == wireName && relativeToNode is not null)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"The default of {what} is relative to the parameter itself.", relativeToNode);
        }

        return new ParameterEntry(spec, node, semanticsFieldNode, ignoredWhen, unknownLocation, relativeToNode) { PathNodes = pathNodes };
    }

    private RelativeDefaultSpec? ReadRelativeDefault(YMapping node, TypeRef? type, string what, out YScalar? relativeToNode)
    {
        var reader = new MapReader(_context, node, $"the relative default of {what}", ContractKeys.RelativeDefault);
        relativeToNode = reader.Scalar("relativeTo", required: true);
        var offsetNode = reader.Scalar("offset", required: true);
        var ok = relativeToNode is not null && offsetNode is not null;
        if (type is not null && !IsUnresolved(type) && (type.IsArray || type.Kind is not (TypeKind.Timestamp or TypeKind.Date)))
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"A relative default ({{ relativeTo, offset }}) needs a timestamp or date parameter; {what} is {type}.", node);
            ok = false;
        }

        var offset = TimeSpan.Zero;
        if (offsetNode is not null && !IsoDuration.TryParse(offsetNode.Value, out offset, out var problem))
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(offsetNode.Value)}' (offset of the default of {what}) is not a signed ISO 8601 duration: {problem}.", offsetNode);
            ok = false;
        }
        else if (offsetNode is not null && type is { Kind: TypeKind.Date } && offset.Ticks % TimeSpan.TicksPerDay != 0)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"The offset '{MapReader.Truncate(offsetNode.Value)}' of {what} (a date) must be whole days.", offsetNode);
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        return new RelativeDefaultSpec(relativeToNode!.Value == "now" ? null : relativeToNode.Value, offset.Ticks);
    }

    private void CheckDefault(YScalar node, TypeRef type, long? minimum, long? maximum, string what)
    {
        if (type.IsArray)
        {
            return;
        }

        switch (type.Kind)
        {
            case TypeKind.Int32:
            case TypeKind.Int64:
                if (!long.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || (type.Kind == TypeKind.Int32 && (value < int.MinValue || value > int.MaxValue)))
                {
                    _context.Error(DiagnosticIds.WrongType, $"The default of {what} must be an integer, not '{MapReader.Truncate(node.Value)}'.", node);
                }
                else if ((minimum is not null && value < minimum) || (maximum is not null && value > maximum))
                {
                    _context.Error(DiagnosticIds.OutOfBounds, $"The default {value} of {what} lies outside its bounds [{minimum?.ToString(CultureInfo.InvariantCulture) ?? "-∞"}, {maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"}].", node);
                }

                break;
            case TypeKind.Date when !JsonShapeChecker.IsDate(node.Value):
                _context.Error(DiagnosticIds.WrongType, $"The default of {what} must be a date (yyyy-MM-dd), not '{MapReader.Truncate(node.Value)}'.", node);
                break;
            case TypeKind.Boolean when node.Value is not ("true" or "false"):
                _context.Error(DiagnosticIds.WrongType, $"The default of {what} must be true or false.", node);
                break;
            case TypeKind.Enum:
                var e = _enums.Find(x => x.Name == type.Name);
                if (e is not null && e.IndexOf(node.Value) < 0)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"The default '{MapReader.Truncate(node.Value)}' of {what} is not a value of the enum '{e.Name}'{Suggest.DidYouMean(node.Value, e.Values.Select(v => v.Value))}.", node);
                }

                break;
        }
    }
}
