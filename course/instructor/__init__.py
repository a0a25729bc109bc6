"""What an instructor uses besides the course: new courses and modules, handouts, the Moodle
exchange (GIFT and Moodle XML, in and out), and class reports."""
