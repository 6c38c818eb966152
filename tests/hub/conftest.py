import sys
from pathlib import Path

# browser_helpers and hub_helpers import each other's folder
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
