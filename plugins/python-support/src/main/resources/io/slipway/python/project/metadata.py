# Slipway's project inspection asks Python what the static files cannot answer. Run as
#   python -c <this file> literals|backend|requires <result file> <project dir>...
# and writes one JSON object to <result file> (stdout and stderr belong to the project's code).
#
# literals: the keyword arguments of setup(...) in setup.py whose values are literals (ast, no code
#           of the project runs): name, version, packages, py_modules, package_dir, entry_points,
#           use_scm_version, setup_requires; and under "imports" the modules setup.py imports.
# backend:  the build backend's own answer (PEP 517 prepare_metadata_for_build_wheel): Name, Version,
#           console scripts and top-level import names from the metadata it prepares.
# requires: for each of several project dirs, its build requirements ([build-system] requires, as the
#           `build` frontend reads them, its defaults included) and those the interpreter's installed
#           distributions do not meet, each as the chain of requirements that leads to it. The check
#           `python -m build --no-isolation` makes, without calling a hook: none of the project's code runs.
import ast
import json
import os
import sys
import tempfile

KEYS = ("name", "version", "packages", "py_modules", "package_dir", "entry_points", "use_scm_version", "setup_requires")


def literals(project):
    path = os.path.join(project, "setup.py")
    with open(path, "rb") as f:
        tree = ast.parse(f.read(), path)
    found = {}
    imports = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imports.add(node.module.split(".")[0])
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if called != "setup":
            continue
        for kw in node.keywords:
            if kw.arg in KEYS:
                try:
                    found[kw.arg] = ast.literal_eval(kw.value)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    found[kw.arg] = None  # present, but computed
    found["imports"] = sorted(imports)
    return found


def backend(project):
    os.chdir(project)
    sys.path.insert(0, project)
    name, paths = "setuptools.build_meta:__legacy__", []
    if os.path.isfile("pyproject.toml"):
        try:
            import tomllib as toml
        except ImportError:
            import tomli as toml
        with open("pyproject.toml", "rb") as f:
            system = toml.load(f).get("build-system", {})
        name = system.get("build-backend", name)
        paths = system.get("backend-path", [])
    for p in reversed(paths):
        sys.path.insert(0, os.path.abspath(p))
    module_name, _, obj = name.partition(":")
    import importlib
    hooks = importlib.import_module(module_name)
    for part in filter(None, obj.split(".")):
        hooks = getattr(hooks, part)
    prepare = getattr(hooks, "prepare_metadata_for_build_wheel", None)
    if prepare is None:
        return {"error": name + " has no prepare_metadata_for_build_wheel hook"}
    # The backend writes <name>.dist-info into a folder of ours, removed with all it holds afterwards.
    with tempfile.TemporaryDirectory(prefix="slipway-metadata-") as out:
        stdout = os.dup(1)
        os.dup2(2, 1)  # the backend's chatter goes to stderr
        try:
            info = prepare(out, {})
        finally:
            os.dup2(stdout, 1)
        return described(name, os.path.join(out, info))


def described(backend_name, folder):
    """What a .dist-info folder says: name, version, console scripts, top-level modules."""
    from email.parser import Parser
    with open(os.path.join(folder, "METADATA"), encoding="utf-8") as f:
        meta = Parser().parse(f, headersonly=True)
    result = {"backend": backend_name, "name": meta["Name"], "version": meta["Version"]}
    entry_points = os.path.join(folder, "entry_points.txt")
    if os.path.isfile(entry_points):
        import configparser
        parser = configparser.ConfigParser(delimiters=("=",))
        parser.optionxform = str
        parser.read(entry_points, encoding="utf-8")
        if parser.has_section("console_scripts"):
            result["console_scripts"] = sorted(parser.options("console_scripts"))
    top_level = os.path.join(folder, "top_level.txt")
    if os.path.isfile(top_level):
        with open(top_level, encoding="utf-8") as f:
            result["top_level"] = [line.strip() for line in f if line.strip()]
    return result


def requires(projects):
    import build
    result = {}
    for project in projects:
        try:
            wanted = sorted(build.ProjectBuilder(project).build_system_requires)
            unmet = [" -> ".join(chain) for req in wanted for chain in build.check_dependency(req)]
            result[project] = {"requires": wanted, "unmet": unmet}
        except Exception as e:  # an invalid [build-system] table: this project's answer, not the others'
            result[project] = {"error": type(e).__name__ + ": " + str(e)}
    return result


def main():
    mode, result_file, projects = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        if mode == "requires":
            result = requires(projects)
        else:
            result = literals(projects[0]) if mode == "literals" else backend(projects[0])
    except Exception as e:  # the Java side turns this into one sentence naming the file
        result = {"error": type(e).__name__ + ": " + str(e)}
    with open(result_file, "w", encoding="utf-8") as f:
        json.dump(result, f)


main()
