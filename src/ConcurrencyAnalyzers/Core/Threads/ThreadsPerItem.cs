using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace ConcurrencyAnalyzers;

/// <summary>
/// Whether a thread created per item of a loop can become one <c>Parallel.ForEach</c>/<c>Parallel.For</c> (the plan of
/// <see cref="FixKind.ThreadsToParallel"/>). The shape everyone writes: a local list of threads, a loop whose body
/// creates a thread, starts it and adds it to the list (locals computed from the item before it are kept), then a loop
/// that joins every thread of the list. Starting all and joining all is what <c>Parallel</c> does, on workers sized to
/// the machine: the loop becomes <c>Parallel.ForEach(items, item =&gt; work)</c>, the list and the join loop go. Threads
/// not joined after the loop (the caller would now wait), a <c>for</c> loop that is not <c>for (int i = a; i &lt; b;
/// i++)</c> with <c>i</c> left alone, and any other use of the list or the threads leave the code as it is.
/// </summary>
internal static class ThreadsPerItem
{
    private const FixKind Kind = FixKind.ThreadsToParallel;

    public static (FixPlan Plan, Location Construct)? Plan(IObjectCreationOperation creation, ConcurrencyAnalysis analysis)
    {
        // var t = new Thread(start); [t.IsBackground = …;] t.Start([arg]); threads.Add(t);
        if (creation.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var thread, Parent: IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation group } } }
            || group.Parent is not IBlockOperation loopBody || loopBody.Parent is not ILoopOperation loop || loop.Parent is not IBlockOperation outer
            || creation.Initializer is { Initializers.Length: > 0 } && creation.Initializer.Initializers.Any(i => i is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsBackground" or "Name" } }))
            return null;

        var index = loopBody.Operations.IndexOf(group);
        for (var i = 0; i < index; i++)
        {
            if (loopBody.Operations[i] is not IVariableDeclarationGroupOperation)
                return null; // only locals computed from the item may come before the thread
        }

        IInvocationOperation? start = null;
        ILocalSymbol? list = null;
        for (var i = index + 1; i < loopBody.Operations.Length; i++)
        {
            switch (loopBody.Operations[i])
            {
                case IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Start" } call } when IsThread(call.Instance, thread) && start is null && call.Arguments.Length <= 1:
                    start = call;
                    break;
                case IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation { Local: var target }, Arguments.Length: 1 } add } when IsThread(add.Arguments[0].Value, thread) && list is null:
                    list = target;
                    break;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsBackground" or "Name" } property } } when IsThread(property.Instance, thread):
                    break;
                default:
                    return null;
            }
        }

        if (start is null || list is null || Work(creation, start) is not { } work)
            return null;
        if (ListDeclaration(list, outer, loop) is not { } declaration || JoinLoop(list, outer, loop) is not { } join)
            return null;
        if (CountReferences(outer, list) != 3 || CountReferences(loopBody, thread) != CountThreadUses(loopBody, thread))
            return null; // the list is declared, filled and joined, nothing else; the thread only started and added

        if (Header(loop) is not { } header)
            return null;

        // Written at the loop's indentation, the body's statements at the loop body's: the text of the statements is the
        // user's own, and keeps its layout.
        var newline = loop.Syntax.GetTrailingTrivia().ToFullString().Contains("\r\n") ? "\r\n" : "\n";
        var indent = Indentation(loop.Syntax);
        var bodyIndent = Indentation(loopBody.Operations[0].Syntax);
        if (bodyIndent.Length <= indent.Length)
            bodyIndent = indent + "    ";
        var text = new StringBuilder();
        text.Append(header).Append(newline).Append(indent).Append('{').Append(newline);
        for (var i = 0; i < index; i++)
            text.Append(bodyIndent).Append(loopBody.Operations[i].Syntax.ToString()).Append(newline);
        foreach (var statement in work)
            text.Append(bodyIndent).Append(statement).Append(newline);
        text.Append(indent).Append("});");

        var edits = new[]
        {
            (declaration.Syntax.Span, FixPlan.Piece(Kind, ThreadPiece.Remove)),
            (loop.Syntax.Span, FixPlan.Piece(Kind, ThreadPiece.ParallelLoop, text.ToString())),
            (join.Syntax.Span, FixPlan.Piece(Kind, ThreadPiece.Remove)),
        };
        var construct = outer.Syntax;
        var inner = edits.OrderBy(e => e.Span.Start).Select(e => new InnerEdit(e.Span.Start - construct.SpanStart, e.Span.Length, e.Item2)).ToImmutableArray();
        return (new FixPlan(Kind).WithInner(string.Empty, inner), construct.GetLocation());
    }

    /// <summary>The whitespace before the node on its line.</summary>
    private static string Indentation(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1].ToString() : string.Empty;
    }

    private static bool IsThread(IOperation? operation, ISymbol thread) =>
        operation?.WalkDownConversions() is ILocalReferenceOperation { Local: var local } && SymbolEqualityComparer.Default.Equals(local, thread);

    /// <summary>What the thread runs, as statements of the new loop body: a lambda's body, or the start method called (with the start argument).</summary>
    private static IEnumerable<string>? Work(IObjectCreationOperation creation, IInvocationOperation start)
    {
        var value = creation.Arguments[0].Value.WalkDownConversions();
        if (value is IDelegateCreationOperation delegateCreation)
            value = delegateCreation.Target.WalkDownConversions();
        switch (value)
        {
            case IAnonymousFunctionOperation { Symbol: { IsAsync: false, Parameters.Length: 0 } } when start.Arguments.Length == 0:
                switch (value.Syntax)
                {
                    case LambdaExpressionSyntax { Block: { } block }:
                        return block.Statements.Select(s => s.ToString());
                    case LambdaExpressionSyntax { ExpressionBody: { } expression }:
                        return new[] { expression + ";" };
                    case AnonymousMethodExpressionSyntax { Block: var body }:
                        return body.Statements.Select(s => s.ToString());
                    default:
                        return null;
                }

            case IMethodReferenceOperation { Method: var method } reference when !method.IsGenericMethod && method.Parameters.Length == start.Arguments.Length:
                var receiver = reference.Syntax.ToString();
                var argument = start.Arguments.Length == 1 ? start.Arguments[0].Value.WalkDownConversions().Syntax.ToString() : string.Empty;
                return new[] { receiver + "(" + argument + ");" };
            default:
                return null;
        }
    }

    /// <summary><c>global::System.Threading.Tasks.Parallel.ForEach(items, item =&gt;</c> or <c>….For(a, b, i =&gt;</c>.</summary>
    private static string? Header(ILoopOperation loop)
    {
        const string parallel = "global::System.Threading.Tasks.Parallel.";
        switch (loop.Syntax)
        {
            case ForEachStatementSyntax forEach when loop is IForEachLoopOperation { IsAsynchronous: false }:
                var variable = forEach.Type is IdentifierNameSyntax { IsVar: true } ? forEach.Identifier.Text : "(" + forEach.Type + " " + forEach.Identifier.Text + ")";
                return parallel + "ForEach(" + forEach.Expression + ", " + variable + " =>";
            case ForStatementSyntax
            {
                Declaration.Variables: { Count: 1 } variables,
                Condition: BinaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.LessThanExpression, Left: IdentifierNameSyntax left, Right: var bound },
                Incrementors: { Count: 1 } incrementors,
            } when variables[0].Initializer is { } initializer && left.Identifier.Text == variables[0].Identifier.Text
                && IsIncrement(incrementors[0], variables[0].Identifier.Text) && loop is IForLoopOperation forLoop
                && forLoop.Locals.Length == 1 && forLoop.Locals[0].Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                && !IsWrittenIn(forLoop.Body, forLoop.Locals[0]):
                var name = variables[0].Identifier.Text;
                return parallel + "For(" + initializer.Value + ", " + bound + ", " + name + " =>";
            default:
                return null;
        }
    }

    private static bool IsIncrement(ExpressionSyntax incrementor, string name) =>
        incrementor is PostfixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PostIncrementExpression, Operand: IdentifierNameSyntax post } && post.Identifier.Text == name
        || incrementor is PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreIncrementExpression, Operand: IdentifierNameSyntax pre } && pre.Identifier.Text == name;

    /// <summary>Whether the variable is assigned, stepped or passed by reference anywhere in <paramref name="body"/>.</summary>
    internal static bool IsWrittenIn(IOperation body, ISymbol local) =>
        body.DescendantsAndSelf().Any(o => o switch
        {
            IAssignmentOperation assignment => SymbolEqualityComparer.Default.Equals(assignment.Target.ReferencedSymbol(), local),
            IIncrementOrDecrementOperation step => SymbolEqualityComparer.Default.Equals(step.Target.ReferencedSymbol(), local),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byRef => SymbolEqualityComparer.Default.Equals(byRef.Value.ReferencedSymbol(), local),
            _ => false,
        });

    /// <summary><c>var threads = new List&lt;Thread&gt;([n]);</c> before the loop in the same block.</summary>
    private static IOperation? ListDeclaration(ILocalSymbol list, IBlockOperation outer, ILoopOperation loop)
    {
        var loopIndex = outer.Operations.IndexOf(loop);
        for (var i = 0; i < loopIndex; i++)
        {
            if (outer.Operations[i] is IVariableDeclarationGroupOperation { Declarations.Length: 1 } declaration
                && declaration.Declarations[0].Declarators.Length == 1 && declaration.Declarations[0].Declarators[0] is { Symbol: var symbol, Initializer.Value: var value }
                && SymbolEqualityComparer.Default.Equals(symbol, list)
                && value.WalkDownConversions() is IObjectCreationOperation { Initializer: null or { Initializers.Length: 0 }, Type: INamedTypeSymbol { Name: "List", TypeArguments.Length: 1 } listType } && listType.TypeArguments[0].Name == "Thread")
                return declaration;
        }

        return null;
    }

    /// <summary><c>foreach (var t in threads) t.Join();</c> after the loop in the same block.</summary>
    private static IOperation? JoinLoop(ILocalSymbol list, IBlockOperation outer, ILoopOperation loop)
    {
        var loopIndex = outer.Operations.IndexOf(loop);
        for (var i = loopIndex + 1; i < outer.Operations.Length; i++)
        {
            if (outer.Operations[i] is IForEachLoopOperation { Collection: var collection, Body: var body, Locals.Length: 1 } join
                && join.Locals[0] is var element && collection.WalkDownConversions() is ILocalReferenceOperation { Local: var local } && SymbolEqualityComparer.Default.Equals(local, list)
                && (body is IBlockOperation { Operations.Length: 1 } only ? only.Operations[0] : body) is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Join", Arguments.Length: 0, Instance: var instance } }
                && instance?.WalkDownConversions() is ILocalReferenceOperation { Local: var joined } && SymbolEqualityComparer.Default.Equals(joined, element))
                return join;
        }

        return null;
    }

    private static int CountReferences(IOperation root, ISymbol local) =>
        root.Descendants().Count(o => o is ILocalReferenceOperation { Local: var l } && SymbolEqualityComparer.Default.Equals(l, local))
        + root.Descendants().Count(o => o is IVariableDeclaratorOperation { Symbol: var s } && SymbolEqualityComparer.Default.Equals(s, local));

    /// <summary>The thread's declaration and its uses in the statements read above (start, add, settings).</summary>
    private static int CountThreadUses(IBlockOperation body, ISymbol thread) =>
        1 + body.Operations.Count(o => o is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Start" or "Add" } or ISimpleAssignmentOperation });
}
