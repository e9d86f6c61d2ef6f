using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether a reported <c>new Thread(…)</c> can become a task, and the plan of that rewrite (<see cref="FixKind.ThreadToTask"/>).
/// A thread's life is read from every use of the variable that holds it — a local, or a private field of a type declared
/// in one file: it is created, has <c>IsBackground</c>/<c>Name</c> set, is started right after, and is afterwards only
/// joined, asked <c>IsAlive</c>, compared with or set to <c>null</c>. Any other use (<c>Priority</c>, <c>Interrupt</c>,
/// <c>ManagedThreadId</c>, passing it on) leaves the thread as it is: a task has none of those. A foreground thread that
/// nobody joins keeps the process alive and a task would not: no fix. A compute thread's work goes to the compute
/// executor (or <c>Task.Run</c>) unchanged; a waiting thread's start delegate becomes async, every blocking call in it
/// awaited (<see cref="AwaitableEdit"/>) — when one cannot be, there is no fix.
/// </summary>
internal static class ThreadConversion
{
    private const FixKind Kind = FixKind.ThreadToTask;

    public static (FixPlan Plan, Location Construct)? Plan(IObjectCreationOperation creation, ThreadVerdict verdict, ISymbol containingSymbol, ConcurrencyAnalysis analysis)
    {
        if (verdict.Use == ThreadUse.PerItem)
            return ThreadsPerItem.Plan(creation, analysis);
        var waiting = verdict.Use == ThreadUse.Waiting;
        var edits = new List<(TextSpan Span, FixPlan Plan)>();
        if (creation.Syntax is not BaseObjectCreationExpressionSyntax || !InitializerIsKnown(creation, out var background))
            return null;

        // What the thread runs.
        var start = creation.Arguments[0].Value.WalkDownConversions();
        if (start is IDelegateCreationOperation delegateCreation)
            start = delegateCreation.Target.WalkDownConversions();
        IMethodSymbol? startMethod = null;
        switch (start)
        {
            case IAnonymousFunctionOperation lambda when !lambda.Symbol.IsAsync && lambda.Symbol.Parameters.Length == 0:
                break;
            case IMethodReferenceOperation reference when reference.Method.Parameters.Length <= 1 && !reference.Method.IsGenericMethod:
                startMethod = reference.Method;
                break;
            default:
                return null; // a lambda that takes the start argument, a delegate variable
        }

        // How it is started and used.
        IInvocationOperation startCall;
        if (creation.Parent is IInvocationOperation { TargetMethod.Name: "Start", Parent: IExpressionStatementOperation } fireAndForget
            && fireAndForget.Instance == creation)
        {
            if (!background)
                return null; // a foreground thread keeps the process alive; nobody would wait for the task
            startCall = fireAndForget;
        }
        else if (Lifecycle(creation, edits, ref background, analysis) is { } started)
        {
            startCall = started;
        }
        else
        {
            return null;
        }

        string? startArgument = null;
        if (startMethod is { Parameters.Length: 1 })
        {
            startArgument = startCall.Arguments.Length == 0 ? "null" : StableText(startCall.Arguments[0].Value);
            if (startArgument is null)
                return null; // evaluated when the thread starts; a lambda would read it later
        }
        else if (startCall.Arguments.Length != 0)
        {
            return null;
        }

        var tree = creation.Syntax.SyntaxTree;
        var createPiece = waiting
            ? FixPlan.Piece(Kind, ThreadPiece.CreateAsync, startArgument, OffloadTarget.Bcl)
            : FixPlan.Piece(Kind, ThreadPiece.Create, startArgument, analysis.Settings.OffloadTarget(tree));
        edits.Add(((startCall.Instance == creation ? startCall.Syntax : creation.Syntax).Span, createPiece));

        if (waiting && !AwaitStartBody(creation, start, startMethod, containingSymbol, edits, analysis))
            return null;

        var construct = creation.Syntax.AncestorsAndSelf().First(n => edits.All(e => n.Span.Contains(e.Span)));
        var plan = createPiece;
        var inner = edits
            .OrderBy(e => e.Span.Start)
            .Select(e => new InnerEdit(e.Span.Start - construct.SpanStart, e.Span.Length, e.Plan))
            .ToImmutableArray();
        return (plan.WithInner(string.Empty, inner), construct.GetLocation());
    }

    /// <summary>The object initializer sets only <c>IsBackground</c> and <c>Name</c>; <paramref name="background"/> when it makes the thread a background one.</summary>
    private static bool InitializerIsKnown(IObjectCreationOperation creation, out bool background)
    {
        background = false;
        if (creation.Initializer is null)
            return true;
        foreach (var initializer in creation.Initializer.Initializers)
        {
            if (initializer is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: var name } } assignment || name is not ("IsBackground" or "Name"))
                return false;
            background |= name == "IsBackground" && assignment.Value.ConstantValue is { HasValue: true, Value: true };
        }

        return true;
    }

    /// <summary>
    /// For a thread stored in a variable: the edits of every use, and the one <c>Start</c> call (right after the creation,
    /// in the same block, with only <c>IsBackground</c>/<c>Name</c> set in between); <see langword="null"/> when a use has
    /// no task counterpart.
    /// </summary>
    private static IInvocationOperation? Lifecycle(IObjectCreationOperation creation, List<(TextSpan Span, FixPlan Plan)> edits, ref bool background, ConcurrencyAnalysis analysis)
    {
        ISymbol variable;
        IOperation statement;
        switch (creation.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation { Declarations.Length: 1 } group } } declarator }:
                variable = declarator.Symbol;
                statement = group;
                break;
            case ISimpleAssignmentOperation { Parent: IExpressionStatementOperation assignmentStatement } assignment when assignment.Value == creation
                && assignment.Target.ReferencedSymbol() is ILocalSymbol or IFieldSymbol:
                variable = assignment.Target.ReferencedSymbol()!;
                statement = assignmentStatement;
                break;
            default:
                return null;
        }

        if (DeclaredType(variable) is not { } declaredType)
            return null;
        if (declaredType is not IdentifierNameSyntax { IsVar: true })
            edits.Add((declaredType.Span, FixPlan.Piece(Kind, ThreadPiece.TaskType)));

        if (References(variable, creation, analysis) is not { } references)
            return null;
        var starts = new List<IInvocationOperation>();
        var settings = new List<IOperation>();
        var joined = false;
        foreach (var reference in references)
        {
            var node = reference;
            while (node.Parent is IConversionOperation { IsImplicit: true } conversion)
                node = conversion;
            switch (node.Parent)
            {
                case IVariableInitializerOperation:
                    continue;
                case ISimpleAssignmentOperation assignment when assignment.Target == node:
                    if (assignment.Value.Syntax == creation.Syntax || IsNull(assignment.Value))
                        continue; // the creation, or t = null
                    return null;
                case IInvocationOperation call when call.Instance == node:
                    switch (call.TargetMethod.Name)
                    {
                        case "Start" when call.Parent is IExpressionStatementOperation && call.Arguments.Length <= 1:
                            starts.Add(call);
                            continue;
                        case "Join" when !IsInAsyncFunction(call, analysis):
                            joined = true;
                            edits.Add(((((InvocationExpressionSyntax)call.Syntax).Expression is MemberAccessExpressionSyntax access ? access.Name : call.Syntax).Span, FixPlan.Piece(Kind, ThreadPiece.Wait)));
                            continue;
                        case "Join" when call.Arguments.Length == 0 && call.Parent is IExpressionStatementOperation:
                            joined = true;
                            edits.Add((call.Syntax.Span, FixPlan.Piece(Kind, ThreadPiece.Await)));
                            continue;
                        default:
                            return null; // Interrupt, a Join with a timeout in async code: no task counterpart that keeps it
                    }

                case IConditionalAccessOperation { WhenNotNull: IInvocationOperation { TargetMethod.Name: "Join", Syntax: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } } join } access
                    when access.Operation == node && !IsInAsyncFunction(join, analysis):
                    joined = true;
                    edits.Add((binding.Name.Span, FixPlan.Piece(Kind, ThreadPiece.Wait)));
                    continue;
                case IPropertyReferenceOperation property when property.Instance == node:
                    if (property.Parent is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation setter } set && set.Target == property
                        && property.Property.Name is "IsBackground" or "Name")
                    {
                        background |= property.Property.Name == "IsBackground" && set.Value.ConstantValue is { HasValue: true, Value: true };
                        settings.Add(setter);
                        continue;
                    }

                    if (property.Property.Name == "IsAlive" && property.Syntax is MemberAccessExpressionSyntax)
                    {
                        edits.Add(((property.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not ? not.Syntax : property.Syntax).Span, FixPlan.Piece(Kind, ThreadPiece.IsCompleted)));
                        continue;
                    }

                    return null;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison when IsNull(comparison.LeftOperand) || IsNull(comparison.RightOperand):
                case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var value } } when IsNull(value):
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var negated } } } when IsNull(negated):
                    continue;
                default:
                    return null;
            }
        }

        if (starts.Count != 1 || !(background || joined))
            return null;
        var startStatement = starts[0].Parent!;
        // The references of a field come from the member bodies the analysis holds, not from this callback's tree:
        // statements are compared by their syntax.
        if (startStatement.Parent is not IBlockOperation block || statement.Parent?.Syntax != block.Syntax)
            return null;
        var from = IndexOf(block, statement.Syntax);
        var to = IndexOf(block, startStatement.Syntax);
        if (from < 0 || to <= from)
            return null;
        for (var i = from + 1; i < to; i++)
        {
            if (!settings.Any(s => s.Syntax == block.Operations[i].Syntax))
                return null; // other work between the creation and the start: the task would start earlier
        }

        if (settings.Count != to - from - 1)
            return null; // a setting after the start
        foreach (var removed in settings.Append(startStatement))
            edits.Add((removed.Syntax.Span, FixPlan.Piece(Kind, ThreadPiece.Remove)));
        return starts[0];
    }

    private static int IndexOf(IBlockOperation block, SyntaxNode statement)
    {
        for (var i = 0; i < block.Operations.Length; i++)
        {
            if (block.Operations[i].Syntax == statement)
                return i;
        }

        return -1;
    }

    /// <summary>The written type of a local or a private field declared alone (<c>Thread t;</c>, <c>var t = …</c>), or <see langword="null"/>.</summary>
    private static TypeSyntax? DeclaredType(ISymbol variable)
    {
        if (variable is IFieldSymbol field && (field.DeclaredAccessibility != Accessibility.Private || field.IsReadOnly || field.ContainingType.DeclaringSyntaxReferences.Length != 1))
            return null; // others can see it, or it can be assigned only where it is declared
        if (variable.DeclaringSyntaxReferences.Length != 1 || variable.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration } declarator)
            return null;
        if (variable is IFieldSymbol && declarator.Initializer is not null)
            return null;
        return declaration.Type;
    }

    /// <summary>Every reference to the variable: in the function tree of a local, in the member bodies of a field's type.</summary>
    private static List<IOperation>? References(ISymbol variable, IOperation creation, ConcurrencyAnalysis analysis)
    {
        IEnumerable<IOperation> roots;
        if (variable is ILocalSymbol)
        {
            roots = new[] { creation.Ancestors().LastOrDefault() ?? creation };
        }
        else
        {
            var bodies = new List<IOperation>();
            foreach (var member in variable.ContainingType.GetMembers().OfType<IMethodSymbol>())
            {
                if (analysis.SourceBodyOf(member, default) is { } body)
                    bodies.Add(body);
            }

            roots = bodies;
        }

        var found = new List<IOperation>();
        foreach (var root in roots)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation local ? SymbolEqualityComparer.Default.Equals(local.Local, variable)
                    : operation is IFieldReferenceOperation fieldReference && SymbolEqualityComparer.Default.Equals(fieldReference.Field, variable))
                {
                    if (operation.Syntax.SyntaxTree != creation.Syntax.SyntaxTree)
                        return null;
                    found.Add(operation);
                }
            }
        }

        return found;
    }

    private static bool IsNull(IOperation operation) =>
        operation.WalkDownConversions() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;

    private static bool IsInAsyncFunction(IOperation operation, ConcurrencyAnalysis analysis)
    {
        foreach (var ancestor in operation.Ancestors())
        {
            switch (ancestor)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol.IsAsync;
                case ILocalFunctionOperation local:
                    return local.Symbol.IsAsync;
            }
        }

        return operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart) is IMethodSymbol { IsAsync: true };
    }

    /// <summary>
    /// The start argument's text when a lambda reading it later sees the same value: a constant, or a local or parameter
    /// never written after it is declared (a <c>foreach</c> variable).
    /// </summary>
    private static string? StableText(IOperation argument)
    {
        argument = argument.WalkDownConversions();
        if (argument.ConstantValue.HasValue)
            return argument.Syntax.ToString();
        var symbol = argument switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None => parameter.Parameter,
            _ => null,
        };
        if (symbol is null)
            return null;
        var root = argument.Ancestors().LastOrDefault() ?? argument;
        var written = ThreadsPerItem.IsWrittenIn(root, symbol);
        return written ? null : argument.Syntax.ToString();
    }

    /// <summary>
    /// For a waiting thread: every blocking call of the start body awaited (the sleep's <c>Task.Delay</c> takes the token
    /// the loop checks), and a start method made <c>async Task</c>; <see langword="false"/> when a call cannot be awaited.
    /// </summary>
    private static bool AwaitStartBody(IObjectCreationOperation creation, IOperation start, IMethodSymbol? startMethod, ISymbol containingSymbol, List<(TextSpan Span, FixPlan Plan)> edits, ConcurrencyAnalysis analysis)
    {
        if (ThreadWork.Start(start, analysis) is not { } started)
            return false;
        var (scope, body) = started;
        SyntaxNode function;
        if (startMethod is not null)
        {
            if (!CanBecomeAsync(startMethod, creation, analysis) || startMethod.DeclaringSyntaxReferences[0].GetSyntax() is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax))
                return false;
            function = startMethod.DeclaringSyntaxReferences[0].GetSyntax();
            edits.Add((function.Span, FixPlan.Piece(Kind, ThreadPiece.AsyncMethod)));
        }
        else
        {
            function = start.Syntax;
        }

        var suppressThrowing = analysis.Symbols.Tasks.ConfigureAwaitOptions is not null;
        var awaited = 0;
        foreach (var operation in BlockingSummaries.OwnOperations(body))
        {
            if (operation is ILocalReferenceOperation { Local: var local } && (local.IsRef || local.Type.IsRefLikeType))
                return false; // ref locals and spans cannot live in an async function
            if (operation is not (IInvocationOperation or IPropertyReferenceOperation or IObjectCreationOperation or IUsingOperation or IUsingDeclarationOperation)
                || operation.IsInsideNameOf())
                continue;
            var (blocking, helper, _) = analysis.BlockingAt(operation, scope);
            if (helper is not null)
                return false; // a blocking helper would keep blocking a pool thread
            if (blocking is null)
                continue;
            if (AwaitableEdit.Of(blocking, function, function, scope, analysis, waitOne: true, bodyToken: false) is not { } edit)
                return false;
            var plan = edit.Plan.WithToken(null);
            if (plan.Fixes[0] == FixKind.Delay && LoopToken(operation, body) is { } token && suppressThrowing)
                plan = plan.WithToken(token).WithSuppressThrowing();
            edits.Add((new TextSpan(function.SpanStart + edit.Start, edit.Length), plan));
            awaited++;
        }

        return awaited > 0;
    }

    /// <summary>A private <c>void</c> method (or local function) of one parameter at most, used only as this thread's start.</summary>
    private static bool CanBecomeAsync(IMethodSymbol method, IObjectCreationOperation creation, ConcurrencyAnalysis analysis)
    {
        if (!method.ReturnsVoid || method.IsAsync || method.IsVirtual || method.IsOverride || method.IsAbstract || method.IsExtern || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || (method.MethodKind != MethodKind.LocalFunction && method.DeclaredAccessibility != Accessibility.Private)
            || method.DeclaringSyntaxReferences.Length != 1 || method.DeclaringSyntaxReferences[0].SyntaxTree != creation.Syntax.SyntaxTree)
            return false;
        var uses = 0;
        foreach (var member in method.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (analysis.SourceBodyOf(member, default) is not { } body)
                continue;
            uses += body.DescendantsAndSelf().Count(o => o switch
            {
                IMethodReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method.OriginalDefinition),
                IInvocationOperation call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition),
                _ => false,
            });
        }

        return uses == 1;
    }

    /// <summary>
    /// The token the loop around a sleep checks (<c>while (!token.IsCancellationRequested)</c>, <c>!cts.IsCancellationRequested</c>
    /// → <c>cts.Token</c>): the delay ends when it is cancelled, and the check ends the loop.
    /// </summary>
    private static string? LoopToken(IOperation sleep, IOperation body)
    {
        for (var parent = sleep.Parent; parent is not null && parent != body; parent = parent.Parent)
        {
            if (parent is not (IWhileLoopOperation or IForLoopOperation))
                continue;
            var condition = parent is IWhileLoopOperation w ? w.Condition : ((IForLoopOperation)parent).Condition;
            foreach (var check in condition?.DescendantsAndSelf().OfType<IPropertyReferenceOperation>() ?? Enumerable.Empty<IPropertyReferenceOperation>())
            {
                if (check.Property.Name != "IsCancellationRequested" || check.Instance is not { } instance
                    || instance.WalkDownConversions() is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } or IPropertyReferenceOperation { Arguments.Length: 0, Instance: null or IInstanceReferenceOperation }))
                    continue;
                return check.Property.ContainingType.Name switch
                {
                    "CancellationToken" => instance.Syntax.ToString(),
                    "CancellationTokenSource" => instance.Syntax + ".Token",
                    _ => null,
                };
            }

            return null;
        }

        return null;
    }
}
