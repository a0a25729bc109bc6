"""What an instructor uses besides the course: new courses and modules, handouts, GIFT
import, and class reports."""
