namespace EventsBindings.Spec.Model;

/// <summary>
/// A dotted attribute path of an item model that a SCIM filter or a keyword search may name.
/// </summary>
/// <param name="Path">The dotted JSON names, e.g. <c>actor.displayName</c> or <c>target.id</c>.</param>
/// <param name="Type">The type of the last field (an array type when that field is a list of scalars).</param>
/// <param name="CaseInsensitive">The last field is an enum whose values match without regard to case.</param>
/// <param name="Multi">The path crosses an array (of models or scalars): an item matches when any element does.</param>
public sealed record FilterPath(string Path, TypeRef Type, bool CaseInsensitive, bool Multi)
{
    /// <summary>The scalar type compared (the element type of an array).</summary>
    public TypeRef Scalar => Type.Element;
}

/// <summary>
/// Resolves the attribute paths of <see cref="SemanticsKind.Scim"/> and <see cref="SemanticsKind.Keywords"/>
/// parameters over an item model: steps go through nested models and arrays of models; a filterable path ends
/// at a scalar field or a list of scalars (never at a model or free-form JSON).
/// </summary>
public static class FilterPaths
{
    /// <summary>How deep the default (every path) walk descends into nested models.</summary>
    public const int MaxDepth = 6;

    /// <summary>
    /// Follows <paramref name="path"/> from <paramref name="model"/>, through models and arrays of models.
    /// Returns null when a step does not exist; otherwise the last field's type, filterable or not
    /// (see <see cref="IsFilterable"/>).
    /// </summary>
    public static FilterPath? Resolve(Func<string, ModelSpec?> models, Func<string, EnumSpec?> enums, ModelSpec model, string path)
    {
        ModelSpec? current = model;
        var multi = false;
        FieldSpec? field = null;
        foreach (var step in path.Split('.'))
        {
            if (current is null)
            {
                return null;
            }

            field = current.FindField(step);
            if (field is null)
            {
                return null;
            }

            multi |= field.Type.IsArray;
            current = field.Type.Kind == TypeKind.Model ? models(field.Type.Name!) : null;
        }

        if (field is null)
        {
            return null;
        }

        var caseInsensitive = field.Type.Kind == TypeKind.Enum && enums(field.Type.Name!)?.CaseInsensitive == true;
        return new FilterPath(path, field.Type, caseInsensitive, multi);
    }

    /// <summary>Resolves a path over a parsed contract.</summary>
    public static FilterPath? Resolve(ContractSpec contract, ModelSpec model, string path) =>
        Resolve(contract.FindModel, contract.FindEnum, model, path);

    /// <summary>A path a filter can compare: it ends at a scalar (or a list of scalars), not at a model or JSON.</summary>
    public static bool IsFilterable(TypeRef type) => type.Kind is not (TypeKind.Model or TypeKind.Json);

    /// <summary>A path a keyword search can look into: text (a string, or a string-backed enum).</summary>
    public static bool IsText(TypeRef type, Func<string, EnumSpec?> enums) =>
        type.Kind == TypeKind.String || (type.Kind == TypeKind.Enum && enums(type.Name!) is { UnderlyingType: TypeKind.String });

    /// <summary>Every filterable path of <paramref name="model"/>, in field order, depth first (cycles are cut).</summary>
    public static IReadOnlyList<FilterPath> All(Func<string, ModelSpec?> models, Func<string, EnumSpec?> enums, ModelSpec model)
    {
        var result = new List<FilterPath>();
        var stack = new List<string> { model.Name };
        Walk(models, enums, model, string.Empty, false, stack, result);
        return result;
    }

    /// <summary>
    /// The paths a parameter of kind scim may name (its <c>attributes</c>, else every filterable path), or of
    /// kind keywords searches (its <c>fields</c>, else every text path); unresolvable names are left out.
    /// </summary>
    public static IReadOnlyList<FilterPath> For(ContractSpec contract, ModelSpec model, SemanticsSpec semantics)
    {
        var declared = semantics.Kind == SemanticsKind.Keywords ? semantics.Fields : semantics.Attributes;
        if (declared.Count > 0)
        {
            var list = new List<FilterPath>();
            foreach (var path in declared)
            {
                if (Resolve(contract, model, path) is { } resolved && IsFilterable(resolved.Type))
                {
                    list.Add(resolved);
                }
            }

            return list;
        }

        var all = All(contract.FindModel, contract.FindEnum, model);
        return semantics.Kind == SemanticsKind.Keywords ? all.Where(p => IsText(p.Scalar, contract.FindEnum)).ToList() : all;
    }

    private static void Walk(Func<string, ModelSpec?> models, Func<string, EnumSpec?> enums, ModelSpec model, string prefix, bool multi, List<string> stack, List<FilterPath> result)
    {
        foreach (var field in model.Fields)
        {
            var path = prefix + field.JsonName;
            var isMulti = multi || field.Type.IsArray;
            if (field.Type.Kind == TypeKind.Model)
            {
                if (stack.Count < MaxDepth && models(field.Type.Name!) is { } child && !stack.Contains(child.Name))
                {
                    stack.Add(child.Name);
                    Walk(models, enums, child, path + ".", isMulti, stack, result);
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            if (IsFilterable(field.Type))
            {
                var caseInsensitive = field.Type.Kind == TypeKind.Enum && enums(field.Type.Name!)?.CaseInsensitive == true;
                result.Add(new FilterPath(path, field.Type, caseInsensitive, isMulti));
            }
        }
    }
}
